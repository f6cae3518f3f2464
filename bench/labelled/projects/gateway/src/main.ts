import express from 'express';
import './upstream/dispatcher.js';
import { downloads } from './routes/download.js';
import { avatars } from './routes/avatar.js';
import { events } from './routes/events.js';
import { relay } from './routes/sse-relay.js';
import { proxyTo } from './upstream/stream-proxy.js';

async function main() {
  const app = express();
  app.use(downloads);
  app.use(avatars);
  app.use(events);
  app.use(relay);
  app.use('/api/v1', proxyTo(process.env.API_V1_HOST ?? 'api-v1', 8080));

  const server = app.listen(Number(process.env.PORT ?? 8080));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  process.on('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
  });
}

void main();
