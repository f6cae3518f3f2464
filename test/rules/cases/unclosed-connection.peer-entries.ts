// unclosed-connection: a module's map of connections kept per peer of a server (a Redis subscriber per Socket.IO
// client), whose entry the peer's 'disconnect' listener deletes without closing it: the subscriber stays open, out of
// reach, one per client that ever watched; beside the same listener quitting it first. The same for a subscriber per
// socket of a server of unknown type (`io` given as a parameter) whose 'connection' listener waits for the socket's end.
// A subscriber per guest WebSocket that the socket's 'close' listener only unsubscribes (through an imported helper that
// names the channel, which cannot reach the subscriber) is left open; one the listener quits is not. A Socket.IO client per
// match whose own 'match:cancelled' listener deletes its entry without disconnecting it stays connected.
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

/** A Redis subscriber duplicated per socket of an untyped Socket.IO namespace; `part` ends the socket's 'disconnect' listener. */
const PARENT_GATEWAY = (part: string, redis = 'redis') => `
      function attachParentGateway(io, ${redis}) {
        const nsp = io.of('/parents');
        nsp.on('connection', async (socket) => {
          const sub = ${redis}.duplicate();
          await sub.connect();
          const watching = new Set();
          socket.on('watch', async (routeId) => {
            watching.add(routeId);
            await sub.subscribe(\`route:\${routeId}\`, (message) => socket.emit('position', JSON.parse(message)));
          });
          socket.on('disconnect', async () => {
            for (const routeId of watching) await sub.unsubscribe(\`route:\${routeId}\`);${part}
          });
        });
        return nsp;
      }
      module.exports = { attachParentGateway };`;

/** A Redis subscriber per guest WebSocket of a room hub; `onClose` is the socket's 'close' listener's body. */
const roomHub = (onClose: string) => ({
  code: `
      const { WebSocketServer } = require('ws');
      const Redis = require('ioredis');
      const { channelFor } = require('./channels');
      function attachRoomHub(server) {
        const wss = new WebSocketServer({ server, path: '/live' });
        wss.on('connection', (socket, req) => {
          const roomId = new URL(req.url, 'http://localhost').searchParams.get('room');
          const sub = new Redis(process.env.REDIS_URL);
          sub.subscribe(channelFor(roomId)).catch(() => {});
          sub.on('message', (_channel, message) => socket.send(message));
          socket.on('close', () => {
${onClose}
          });
        });
        return wss;
      }
      module.exports = { attachRoomHub };`,
  ext: '.js' as const,
  files: { 'channels.js': "module.exports = { channelFor: (room) => 'room:' + room };\n" },
});

export const valid: ValidCase[] = [
  {
    name: "a subscriber per guest WebSocket that the socket's 'close' listener unsubscribes and quits",
    ...roomHub("            sub.unsubscribe(channelFor(roomId)).catch(() => {});\n            sub.quit();"),
  },
  {
    name: "the same subscriber quit in the socket's 'disconnect' listener",
    ext: '.js',
    code: PARENT_GATEWAY(`
            await sub.quit();`),
    files: { 'package.json': '{ "dependencies": { "redis": "^4.7.0", "socket.io": "^4.7.0" } }' },
  },
  {
    name: "a subscriber per Socket.IO client quit by the client's 'disconnect' listener before its entry is deleted",
    ext: '.js',
    code: marketWatch('sub.quit().catch(() => {});'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a subscriber per guest WebSocket that the socket's 'close' listener only unsubscribes, naming the channel with an imported helper",
    ...roomHub("            sub.unsubscribe(channelFor(roomId)).catch(() => {});"),
    errors: [{ line: 8, message: /^Redis connection from `ioredis` is not closed when the connection it serves \(line 6\) goes away/ }],
  },
  {
    name: "a Redis subscriber duplicated per socket of a Socket.IO namespace given as an untyped parameter; 'disconnect' only unsubscribes",
    ext: '.js',
    code: PARENT_GATEWAY(`
            `),
    files: { 'package.json': '{ "dependencies": { "redis": "^4.7.0", "socket.io": "^4.7.0" } }' },
    errors: [{ line: 4, message: /not closed when the connection it serves \(line 3\) goes away/ }],
  },
  {
    name: 'the same with the Redis client named for its role (publisher.duplicate())',
    ext: '.js',
    code: PARENT_GATEWAY(`
            `, 'publisher'),
    files: { 'package.json': '{ "dependencies": { "redis": "^4.7.0", "socket.io": "^4.7.0" } }' },
    errors: [{ line: 4, message: /not closed when the connection it serves \(line 3\) goes away/ }],
  },
  {
    name: "the same listener only unsubscribing it: the entry is deleted with the Redis connection open",
    ext: '.js',
    code: marketWatch('sub.unsubscribe().catch(() => {});'),
    errors: [{ line: 6, message: /^Redis connection from `ioredis` is kept in `watchers` and nowhere else, and the entry that holds it is deleted on line 16/ }],
  },
];

/** A watcher keeping a Socket.IO client per live match; `onCancelled` is the client's 'match:cancelled' listener. */
const MATCHES = (onCancelled: string) => `
      import { io, type Socket } from 'socket.io-client';
      export class LiveMatchWatcher {
        private readonly sockets = new Map<string, Socket>();
        watch(match: { id: string; serverUrl: string }): void {
          if (this.sockets.has(match.id)) return;
          const socket = io(match.serverUrl + '/spectate', { query: { matchId: match.id } });
          this.sockets.set(match.id, socket);
          socket.on('match:end', () => { this.sockets.delete(match.id); socket.disconnect(); });
          socket.on('match:cancelled', () => {
            this.sockets.delete(match.id);
            ${onCancelled}
          });
        }
        stopAll(): void {
          for (const socket of this.sockets.values()) socket.disconnect();
          this.sockets.clear();
        }
      }`;

invalid.push({
  name: "a client's own 'match:cancelled' listener deletes its entry and only drops a listener: the client stays connected, out of reach",
  code: MATCHES("socket.off('round:end');"),
  errors: [{ line: 6, message: /is kept in `this.sockets`, and the entry that holds it is deleted on line 10 by a method that does not close it/ }],
});

valid.push({
  name: "the same 'match:cancelled' listener disconnecting the client it deletes",
  code: MATCHES('socket.disconnect();'),
});
