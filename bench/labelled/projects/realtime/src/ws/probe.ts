import WebSocket from 'ws';

/** True when a WebSocket handshake with `url` completes within `timeoutMs`. */
export function canConnect(url: string, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
  });
}
