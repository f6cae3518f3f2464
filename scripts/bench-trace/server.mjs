// The server `npm run bench:trace` loads: an HTTP server on a free loopback port. With `--upstream`
// each request also makes one request to a second server through a keep-alive agent, so the trace
// follows a client request and its response per request, not only accepted sockets.
import http from 'node:http';

const upstream = process.argv.includes('--upstream');
const payload = JSON.stringify({ ok: true, items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}` })) });

let backend;
let agent;
if (upstream) {
  backend = http.createServer((req, res) => res.end(payload));
  await new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));
  agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
}

function callBackend() {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: backend.address().port, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  const body = upstream ? await callBackend() : payload;
  res.setHeader('content-type', 'application/json');
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port} pid ${process.pid}`));
process.on('SIGTERM', () => process.exit(0));
