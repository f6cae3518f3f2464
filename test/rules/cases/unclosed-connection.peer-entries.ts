// unclosed-connection: a module's map of connections kept per peer of a server (a Redis subscriber per Socket.IO
// client), whose entry the peer's 'disconnect' listener deletes without closing it: the subscriber stays open, out of
// reach, one per client that ever watched; beside the same listener quitting it first.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** Odds watchers per Socket.IO client; `onDisconnect` runs before the entry is deleted. */
const marketWatch = (onDisconnect: string) => `
      import Redis from 'ioredis';
      const watchers = new Map();
      export function attachMarketWatch(io, url) {
        io.on('connection', (socket) => {
          socket.on('watch', async (matchId) => {
            const sub = new Redis(url);
            watchers.set(socket.id, sub);
            sub.on('message', (channel, payload) => socket.emit('odds', payload));
            await sub.subscribe('odds:' + matchId);
          });
          socket.on('disconnect', () => {
            const sub = watchers.get(socket.id);
            if (sub) {
              ${onDisconnect}
            }
            watchers.delete(socket.id);
          });
        });
      }`;

export const valid: ValidCase[] = [
  {
    name: "a subscriber per Socket.IO client quit by the client's 'disconnect' listener before its entry is deleted",
    ext: '.js',
    code: marketWatch('sub.quit().catch(() => {});'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same listener only unsubscribing it: the entry is deleted with the Redis connection open",
    ext: '.js',
    code: marketWatch('sub.unsubscribe().catch(() => {});'),
    errors: [{ line: 6, message: /^Redis connection from `ioredis` is kept in `watchers` and nowhere else, and the entry that holds it is deleted on line 16/ }],
  },
];
