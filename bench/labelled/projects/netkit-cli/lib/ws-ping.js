import WebSocket from 'ws';

/** Round-trip time of a WebSocket ping, in ms. */
export function wsPing(url, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('timeout'));
    }, timeoutMs);
    ws.once('open', () => {
      const t0 = process.hrtime.bigint();
      ws.once('pong', () => {
        clearTimeout(timer);
        ws.close();
        resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      });
      ws.ping();
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
