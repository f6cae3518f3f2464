import { redis } from './redis';

export function subscribe(channel: string, handler: (message: string) => void): () => Promise<void> {
  const sub = redis.duplicate();
  sub.subscribe(channel).catch((err) => console.error(`subscribe ${channel}`, err));
  sub.on('message', (ch, message) => {
    if (ch === channel) handler(message);
  });
  return async () => {
    await sub.unsubscribe(channel);
    await sub.quit();
  };
}
