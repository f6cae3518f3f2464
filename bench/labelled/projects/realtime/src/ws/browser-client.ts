// Bundled for the dashboard page (esbuild, platform: browser).
type Listener = (msg: { type: string; payload: unknown }) => void;

const listeners = new Set<Listener>();
let socket: WebSocket | null = null;
let retry = 0;

function endpoint(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/realtime`;
}

export function connectDashboard(): void {
  socket = new WebSocket(endpoint());
  socket.addEventListener('open', () => {
    retry = 0;
    document.body.classList.remove('offline');
  });
  socket.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data));
    listeners.forEach((l) => l(msg));
  });
  socket.addEventListener('close', () => {
    document.body.classList.add('offline');
    window.setTimeout(connectDashboard, Math.min(10_000, 1000 * ++retry));
  });
}

export function onMessage(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
