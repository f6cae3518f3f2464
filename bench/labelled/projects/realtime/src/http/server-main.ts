import http from 'http';
import { attachRealtime } from '../ws/server';
import { enableBroadcast } from '../ws/broadcast';
import { startHeartbeat } from '../ws/heartbeat';

function main() {
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  const wss = attachRealtime(server);
  enableBroadcast(wss);
  startHeartbeat(wss);
  server.listen(Number(process.env.PORT ?? 8081), () => {
    console.log('realtime hub up');
  });

  process.on('SIGTERM', () => {
    for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    wss.close();
    server.close();
  });
}

main();
