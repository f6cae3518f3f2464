import { Router } from 'express';
import { EventEmitter } from 'node:events';

export const bus = new EventEmitter();
export const events = Router();

// Server-sent events: the browser keeps the connection and closes it when the tab goes away.
events.get('/events', (req, res) => {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write('retry: 5000\n\n');

  const onEvent = (e: { type: string; data: unknown }) => {
    res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
  };
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 20_000);
  bus.on('event', onEvent);

  req.on('close', () => {
    clearInterval(keepAlive);
    bus.off('event', onEvent);
  });
});
