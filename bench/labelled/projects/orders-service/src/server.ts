import express from 'express';
import { pool } from './db';
import { health } from './routes/health';
import { orders } from './routes/orders';
import { startCleanup } from './jobs/cleanup';
import { startListener } from './jobs/listen-notify';

export function createApp() {
  const app = express();
  app.use(express.json());
  app.use(health);
  app.use('/orders', orders);
  return app;
}

export async function start(port = Number(process.env.PORT ?? 3000)) {
  const app = createApp();
  await startListener();
  const stopCleanup = startCleanup();
  const server = app.listen(port, () => console.log(`orders-service listening on ${port}`));

  const shutdown = () => {
    stopCleanup();
    server.close(() => {
      pool.end().finally(() => process.exit(0));
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) {
  start().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
