import type { Request, Response } from 'express';
import Redis from 'ioredis';

/** GET /feed/:user — the user's notification channel as server-sent events. */
export function userFeed(req: Request, res: Response) {
  const sub = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  sub.subscribe(`user:${req.params.user}`).catch(() => res.end());
  sub.on('message', (_channel, message) => res.write(`data: ${message}\n\n`));
  req.on('close', () => {
    sub.disconnect();
  });
}
