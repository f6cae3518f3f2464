// unclosed-connection: a `let` of a function that the listener of a repeating event gives a new connection
// while the one it holds is still open (`socket.on('watch', () => { sub = new Redis(url); … })` beside
// `socket.on('disconnect', () => sub?.quit())`): every run after the first drops an open one out of reach.
// Not when the listener first closes or tests the old one, nor in a listener of a connection's end (a
// reconnect), of an event that fires once, or where nothing in the function ever closes the variable. A subscriber
// made once, lazily (`if (!sub) sub = new Redis(url)`), that nothing in the handler of the served connection closes or
// hands on is left open when that connection goes (core/lazy-peer-clients.ts).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A Socket.IO handler keeping one Redis subscriber per browser; `onWatch` is the 'watch' listener's body. */
function presence(onWatch: string, onDisconnect = 'sub?.quit().catch(() => undefined);'): string {
  return `
      import Redis from 'ioredis';
      import type { Server, Socket } from 'socket.io';
      export function attachQueueWatch(io: Server, redisUrl: string): void {
        io.on('connection', (socket: Socket) => {
          let sub: Redis | undefined;
          socket.on('watch', async (queue: string) => {
            ${onWatch}
            sub.on('message', (_channel, payload) => socket.emit('watch:update', JSON.parse(payload)));
            await sub.subscribe('wallboard:queue:' + queue);
          });
          socket.on('disconnect', () => {
            ${onDisconnect}
          });
        });
      }`;
}

export const invalid: InvalidCase[] = [
  {
    name: "a subscriber a socket's 'watch' listener makes on every run, quit only on 'disconnect': each switch of queue leaves one open",
    code: presence('sub = new Redis(redisUrl, { maxRetriesPerRequest: null });'),
    errors: [{ line: 7, message: /^`sub` is given a new Redis connection on line 7 each time this listener runs/ }],
  },
  {
    name: "a subscriber made once, lazily, by the 'watch' listener and only unsubscribed on 'disconnect': left open with its socket gone",
    code: presence('if (!sub) sub = new Redis(redisUrl);', 'sub?.unsubscribe().catch(() => undefined);'),
    errors: [{ line: 7, message: /^Redis connection from `ioredis` is never closed; it stays open when the connection it serves \(line 4\) goes away/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same listener quitting the subscriber it held before making the next',
    code: presence('await sub?.quit();\n            sub = new Redis(redisUrl);'),
  },
  {
    name: 'the same listener making one only when it holds none',
    code: presence('if (sub) return;\n            sub = new Redis(redisUrl);'),
  },
  {
    name: "the same lazy subscriber quit on 'disconnect'",
    code: presence('if (!sub) sub = new Redis(redisUrl);'),
  },
  {
    name: 'the same lazy subscriber handed to a registry of the module, which may close it',
    code: presence('if (!sub) { sub = new Redis(redisUrl); registry.add(sub); }', 'sub?.unsubscribe().catch(() => undefined);').replace('export function', 'const registry = new Set<Redis>();\n      export function'),
  },
  {
    name: 'the same subscriber made once per socket (`once`)',
    code: presence('sub = new Redis(redisUrl);').replace("socket.on('watch'", "socket.once('watch'"),
  },
  {
    name: "a WebSocket made again in the old one's 'close' listener: a reconnect replaces nothing open",
    code: `
      import WebSocket from 'ws';
      export function follow(url: string, onLine: (l: string) => void): () => void {
        let ws = new WebSocket(url);
        let stopped = false;
        const attach = () => ws.on('message', (d) => onLine(String(d)));
        attach();
        ws.on('close', () => {
          if (stopped) return;
          ws = new WebSocket(url);
          attach();
        });
        return () => { stopped = true; ws.close(); };
      }`,
  },
];
