import http from 'node:http';
import httpProxy from 'http-proxy';

// Assets are fetched from the object store through one pool of keep-alive connections.
const assetsAgent = new http.Agent({ keepAlive: true, maxSockets: 100, maxFreeSockets: 20 });

const assets = httpProxy.createProxyServer({
  target: process.env.ASSETS_ORIGIN ?? 'http://minio:9000',
  agent: assetsAgent,
  changeOrigin: true,
});

assets.on('error', (_err, _req, res) => {
  res.writeHead?.(502);
  res.end();
});

export function serveAssets(req, res) {
  assets.web(req, res);
}
