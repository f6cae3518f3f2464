import type { Request, Response } from 'express';
import Redis from 'ioredis';

/** GET /live/:room — relays the room's Redis channel as server-sent events. */
export function liveRoom(req: Request, res: Response) {
  const sub = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  sub.subscribe(`room:${req.params.room}`);
  sub.on('message', (_channel, message) => {
    res.write(`data: ${message}\n\n`);
  });
}
