// unclosed-connection: connections kept one per key in a collection of a class that closes none of
// them anywhere, dropped from it by a method that deletes the entry: once deleted, nothing holds the
// connection (reported), unless something else can still reach it (silent). The same for a module's own
// collection (`const channels = new Map()` at its top level) and the functions that use it. Clearing the
// collection (`this.routes.clear()`) deletes every entry. An entry deleted by a listener, in the method that
// stores it, for the close of another connection given to it (a relay's downstream) is still open. An entry may be
// the promise of a connection (reported where the connection is made); the collection's keys are no entries. A
// delete in the unsubscribe function a function hands out (`return () => { …; channels.delete(id) }`) counts.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A class keeping one Redis subscriber per room in `this.rooms` (entries `{ conn, listeners }`); `extra` adds members. */
function roomChannels(join: string[], leave: string[], extra: string[] = []): string {
  const lines = [
    '', "import type { Redis } from 'ioredis';", 'type Listener = (msg: string) => void;',
    'export class RoomChannels {', '  private readonly rooms = new Map<string, { conn: Redis; listeners: Set<Listener> }>();',
    '  constructor(private readonly base: Redis) {}', '  async join(roomId: string, listener: Listener): Promise<void> {',
    '    const existing = this.rooms.get(roomId);', '    if (existing) {', '      existing.listeners.add(listener);', '      return;', '    }',
    '    const conn = this.base.duplicate();', '    const sub = { conn, listeners: new Set([listener]) };', '    this.rooms.set(roomId, sub);',
    "    conn.on('message', (_channel: string, raw: string) => { for (const l of sub.listeners) l(raw); });",
    ...join.map((l) => '    ' + l), '    await conn.subscribe(`room:${roomId}`);', '  }',
    '  async leave(roomId: string, listener: Listener): Promise<void> {', '    const sub = this.rooms.get(roomId);', '    if (!sub) return;',
    '    sub.listeners.delete(listener);', '    if (sub.listeners.size > 0) return;', '    this.rooms.delete(roomId);',
    ...leave.map((l) => '    ' + l), '    await sub.conn.unsubscribe(this.channel(roomId));', '  }',
    '  private channel(roomId: string): string {', '    return `room:${roomId}`;', '  }',
    '  activeRooms(): string[] {', '    return [...this.rooms.keys()];', '  }', ...extra.map((l) => '  ' + l), '}',
  ];
  return lines.map((l) => (l ? '      ' + l : l)).join('\n');
}

/** A module keeping one node-redis subscriber per room in its own `channels` map; `leave` ends leaveRoom(). */
function moduleChannels(leave: string): string {
  return `
      import { createClient } from 'redis';
      const redis = createClient();
      const channels = new Map();
      export async function joinRoom(roomId, listener) {
        let entry = channels.get(roomId);
        if (!entry) {
          const sub = redis.duplicate();
          sub.on('error', (err) => console.error(err.message));
          const listeners = new Set();
          const ready = sub.connect().then(() => sub.subscribe('room:' + roomId, (m) => { for (const fn of listeners) fn(m); }));
          entry = { sub, listeners, ready };
          channels.set(roomId, entry);
        }
        entry.listeners.add(listener);
        await entry.ready;
      }
      export async function leaveRoom(roomId, listener) {
        const entry = channels.get(roomId);
        if (!entry) return;
        entry.listeners.delete(listener);
        if (entry.listeners.size > 0) return;
        channels.delete(roomId);
${leave}
      }
      export async function closeAllRoomChannels() {
        const entries = [...channels.values()];
        channels.clear();
        await Promise.allSettled(entries.map((e) => e.sub.quit()));
      }`;
}

/** A relay keeping one upstream WebSocket per subscription in `this.routes`; `teardown` is the body of what runs when the downstream client goes. */
function subscriptionRelay(teardown: string[]): string {
  const lines = [
    '', "import WebSocket from 'ws';", 'export class SubscriptionRelay {', '  private readonly routes = new Map<string, WebSocket>();',
    '  constructor(private readonly downstream: WebSocket) {', "    downstream.on('close', () => this.teardown());", '  }',
    '  open(id: string, url: string): void {', '    const upstream = new WebSocket(url);', '    this.routes.set(id, upstream);',
    "    upstream.on('message', (data) => this.downstream.send(data.toString()));", '  }',
    '  complete(id: string): void {', '    const upstream = this.routes.get(id);', '    if (!upstream) return;', '    this.routes.delete(id);', '    upstream.close();', '  }',
    '  private teardown(): void {', ...teardown.map((l) => '    ' + l), '  }', '}',
  ];
  return lines.map((l) => (l ? '      ' + l : l)).join('\n');
}

/** A module caching one node-redis client per tenant as the promise of it connected; `sweep` is the body of the idle sweep's loop. */
function tenantClients(sweep: string): string {
  return `
      const { createClient } = require('redis');
      const clients = new Map();
      const lastUsed = new Map();
      async function clientFor(tenant, url) {
        lastUsed.set(tenant, Date.now());
        let pending = clients.get(tenant);
        if (!pending) {
          const client = createClient({ url });
          client.on('error', (err) => console.error(err.message));
          pending = client.connect().then(() => client);
          clients.set(tenant, pending);
          pending.catch(() => clients.delete(tenant));
        }
        return pending;
      }
      function sweepIdle(now = Date.now()) {
        for (const [tenant, at] of lastUsed) {
          if (now - at < 600000) continue;
${sweep}
          lastUsed.delete(tenant);
        }
      }
      async function closeAll() {
        const all = [...clients.values()];
        clients.clear();
        await Promise.allSettled(all.map(async (pending) => (await pending).quit()));
      }
      module.exports = { clientFor, sweepIdle, closeAll };`;
}

/** A relay that syncs one Socket.IO client per region from a config and prunes the regions that went away; `prune` runs per gone name. */
function regionRelay(prune: string): string {
  return `
      import { io } from 'socket.io-client';
      export class RegionRelay {
        #sockets = new Map();
        sync(regions) {
          for (const [name, url] of Object.entries(regions)) {
            if (this.#sockets.has(name)) continue;
            const socket = io(url + '/scores', { transports: ['websocket'] });
            socket.on('score', (entry) => console.log(name, entry));
            this.#sockets.set(name, socket);
          }
          for (const name of [...this.#sockets.keys()]) {
            if (!(name in regions)) {
${prune}
              this.#sockets.delete(name);
            }
          }
        }
        close() {
          for (const socket of this.#sockets.values()) socket.disconnect();
          this.#sockets.clear();
        }
      }`;
}

/** A spectator relay: one upstream WebSocket per spectator, forgotten when the spectator's socket closes; `onLeave` is that listener's body. */
function spectatorRelay(onLeave: string): string {
  return `
      import WebSocket from 'ws';
      export class SpectatorRelay {
        private readonly upstreams = new Map<string, WebSocket>();
        constructor(private readonly url: string) {}
        attach(id: string, downstream: WebSocket): void {
          const upstream = new WebSocket(this.url + '/spectate');
          upstream.on('message', (data) => downstream.send(data));
          upstream.on('close', () => downstream.close(1012, 'table closed'));
          downstream.on('close', () => {
${onLeave}
          });
          this.upstreams.set(id, upstream);
        }
        closeAll(): void {
          for (const upstream of this.upstreams.values()) upstream.close(1001);
          this.upstreams.clear();
        }
      }`;
}

/** A device registry: one socket per device, its entry dropped by remove(); `onRemove` runs before the delete. */
function deviceRegistry(onRemove: string): string {
  return `
      const net = require('node:net');
      class DeviceRegistry {
        constructor() { this.connections = new Map(); }
        add(device) {
          const socket = net.connect({ host: device.ip, port: 9999 });
          socket.on('close', () => { if (this.connections.get(device.id) === socket) this.connections.delete(device.id); });
          this.connections.set(device.id, socket);
          return socket;
        }
        remove(deviceId) {
${onRemove}
          const existed = this.connections.delete(deviceId);
          return existed;
        }
        closeAll() {
          for (const socket of this.connections.values()) socket.destroy();
          this.connections.clear();
        }
      }
      module.exports = { DeviceRegistry };`;
}

export const valid: ValidCase[] = [
  {
    name: "a device registry whose remove() destroys the device's socket before deleting its entry",
    code: deviceRegistry('          this.connections.get(deviceId)?.destroy();'),
    ext: '.js',
  },
  {
    name: "a spectator relay that closes the upstream when the spectator's socket closes, then forgets it",
    code: spectatorRelay('            this.upstreams.get(id)?.close();\n            this.upstreams.delete(id);'),
  },
  {
    name: "a relay's sync() that disconnects the client of each region that went away before deleting its entry",
    code: regionRelay("              this.#sockets.get(name).disconnect();"),
    ext: '.mjs',
  },
  {
    name: "a module's sockets, each forgotten by a remove() that only its own 'close' listener calls",
    code: `
      const net = require('net');
      const clients = new Map();
      function add(id, port) {
        const c = net.connect(port);
        clients.set(id, c);
        c.on('close', () => remove(id));
      }
      function remove(id) {
        clients.delete(id);
      }
      function closeAll() {
        for (const c of clients.values()) c.end();
      }
      module.exports = { add, closeAll };`,
    ext: '.js',
  },
  {
    name: "a class's sockets, each forgotten by a remove() that only its own 'close' listener calls",
    code: `
      import net from 'node:net';
      export class Clients {
        private clients = new Map<string, net.Socket>();
        add(id: string, port: number): void {
          const c = net.connect(port);
          this.clients.set(id, c);
          c.on('close', () => this.remove(id));
        }
        private remove(id: string): void {
          this.clients.delete(id);
        }
        closeAll(): void {
          for (const c of this.clients.values()) c.end();
        }
      }`,
  },
  {
    name: "a module's own map of per-room subscribers, each quit by leaveRoom() once its entry is deleted",
    code: moduleChannels('        await entry.sub.quit();'),
    ext: '.mjs',
  },
  {
    name: 'the same room subscribers, quit by leave() before the entry is deleted',
    code: roomChannels([], ['await sub.conn.quit();']),
  },
  {
    name: 'the same room subscribers, with a method that hands an entry to its caller (who may close it)',
    code: roomChannels([], [], ['subscriberOf(roomId: string) {', '  return this.rooms.get(roomId);', '}']),
  },
  {
    name: 'the same room subscribers, each also handed to a registry when it is made',
    code: roomChannels(['registry.track(conn);'], []).replace("type Listener", "declare const registry: { track(c: unknown): void };\n      type Listener"),
  },
  {
    name: "a connection whose entry is deleted by its own 'close' listener: it is closed already",
    code: `
      import WebSocket from 'ws';
      export class Peers {
        private peers = new Map<string, WebSocket>();
        connect(id: string, url: string) {
          const ws = new WebSocket(url);
          this.peers.set(id, ws);
          ws.on('close', () => { this.peers.delete(id); });
        }
        count() { return this.peers.size; }
      }`,
  },
  {
    name: "a Set of WebSockets whose untrack(ws) deletes the one its caller hands in: the caller still holds it",
    code: `
      import WebSocket from 'ws';
      export class Peers {
        private peers = new Set<WebSocket>();
        connect(url: string): WebSocket {
          const ws = new WebSocket(url);
          this.peers.add(ws);
          return ws;
        }
        untrack(ws: WebSocket) {
          this.peers.delete(ws);
        }
        closeAll() {
          for (const ws of this.peers) ws.close();
          this.peers.clear();
        }
      }`,
  },
  {
    name: "a relay whose downstream client's 'close' closes every upstream WebSocket before clearing the map",
    code: subscriptionRelay(['for (const upstream of this.routes.values()) upstream.close();', 'this.routes.clear();']),
  },
  {
    name: 'a map of connected-client promises whose idle sweep quits each client it deletes',
    code: tenantClients('          const pending = clients.get(tenant);\n          clients.delete(tenant);\n          if (pending) pending.then((c) => c.quit(), () => {});'),
    ext: '.js',
  },
];

/** A module's map of SSH connections kept as promises (`ready`), one per host; `prune` is its pruning function's body. */
const HOSTS = (prune: string) => `
      const { Client } = require('ssh2');
      const connections = new Map();
      function getConnection(host) {
        const existing = connections.get(host);
        if (existing) return existing;
        const ready = new Promise((resolve, reject) => {
          const conn = new Client();
          conn.once('ready', () => resolve(conn));
          conn.on('error', reject);
          conn.connect({ host, username: 'deploy', keepaliveInterval: 30000 });
        });
        connections.set(host, ready);
        return ready;
      }
      function pruneHosts(activeHosts) {
        for (const host of connections.keys()) {
          if (!activeHosts.includes(host)) {
            ${prune}
          }
        }
      }
      async function closeAll() {
        const pending = [...connections.values()];
        connections.clear();
        for (const p of pending) (await p).end();
      }
      module.exports = { getConnection, pruneHosts, closeAll };`;

valid.push({
  name: "a module's map of SSH connection promises pruned by host, each pruned one ended",
  ext: '.js',
  code: HOSTS(`connections.get(host).then((conn) => conn.end(), () => undefined);
            connections.delete(host);`),
});

/** A module's Redis subscriber per match, deleted by the unsubscribe function `onScore` hands out; `drop` ends that function. */
const MATCH_CHANNELS = (drop: string) => `
      import { createClient } from 'redis';
      const redis = createClient({ url: process.env.REDIS_URL });
      const channels = new Map();
      export async function onScore(matchId, listener) {
        let entry = channels.get(matchId);
        if (!entry) {
          const sub = redis.duplicate();
          entry = { sub, listeners: new Set(), ready: null };
          channels.set(matchId, entry);
          entry.ready = sub.connect().then(() => sub.subscribe('score:' + matchId, (m) => entry.listeners.forEach((fn) => fn(m))));
        }
        await entry.ready;
        entry.listeners.add(listener);
        const current = entry;
        return () => {
          current.listeners.delete(listener);
          if (current.listeners.size === 0 && channels.get(matchId) === current) {
            ${drop}
          }
        };
      }`;

valid.push({
  name: "a module's subscriber per match that the last unsubscribe quits before deleting its entry",
  ext: '.mjs',
  code: MATCH_CHANNELS(`current.sub.quit().catch(() => undefined);
            channels.delete(matchId);`),
});

/** A registry of printer sockets in entries `{ ...printer, socket }`, closed by `shutdown()`; `detach` ends `detach()`. */
const PRINTERS = (detach: string) => `
      const net = require('node:net');
      const { EventEmitter } = require('node:events');
      class PrinterRegistry extends EventEmitter {
        constructor() { super(); this.printers = new Map(); }
        attach(printer) {
          const socket = net.createConnection({ host: printer.host, port: 9100 });
          const entry = { ...printer, socket, attachedAt: Date.now() };
          this.printers.set(printer.id, entry);
          return entry;
        }
        detach(printerId) {
          const entry = this.printers.get(printerId);
          if (!entry) return false;
          ${detach}
          this.emit('detached', printerId, entry.host);
          return true;
        }
        shutdown() {
          for (const { socket } of this.printers.values()) socket.destroy();
          this.printers.clear();
        }
      }
      module.exports = { PrinterRegistry };`;

valid.push({
  name: "a printer entry detached with its socket handed to a listener of the registry's 'detached' event",
  ext: '.js',
  code: PRINTERS("this.printers.delete(printerId);\n          this.emit('detached-socket', entry.socket);"),
});

export const invalid: InvalidCase[] = [
  {
    name: "a subscriber per room duplicated from a client typed by a project alias (`type Redis = ReturnType<typeof createClient>`), whose unwatch() deletes the entry and only unsubscribes",
    file: 'src/redis/roomBus.ts',
    files: { 'src/redis/client.ts': "import { createClient } from 'redis';\nexport type Redis = ReturnType<typeof createClient>;\nexport const redis: Redis = createClient({ url: process.env.REDIS_URL });\n" },
    code: `
      import type { Redis } from './client';
      export class RoomBus {
        private readonly subscribers = new Map<string, Redis>();
        constructor(private readonly base: Redis) {}
        async watch(roomId: string): Promise<void> {
          if (this.subscribers.has(roomId)) return;
          const sub = this.base.duplicate();
          this.subscribers.set(roomId, sub);
          await sub.connect();
          await sub.subscribe('room:' + roomId, () => {});
        }
        async unwatch(roomId: string): Promise<void> {
          const sub = this.subscribers.get(roomId);
          if (!sub) return;
          this.subscribers.delete(roomId);
          await sub.unsubscribe('room:' + roomId);
        }
        async close(): Promise<void> {
          await Promise.all([...this.subscribers.values()].map((s) => s.quit()));
          this.subscribers.clear();
        }
      }`,
    errors: [{ line: 7, message: /^Redis connection from `redis\.createClient\.duplicate` is kept in `this\.subscribers`/ }],
  },
  {
    name: "a printer entry detached with only its host logged: the entry's other properties hand the socket to nobody",
    ext: '.js',
    code: PRINTERS('this.printers.delete(printerId);'),
    errors: [{ line: 6, message: /Socket from `net.createConnection` is kept in `this.printers`, and the entry that holds it is deleted on line 14/ }],
  },
  {
    name: "the same subscriber per match when the unsubscribe function it hands out only deletes the entry",
    ext: '.mjs',
    code: MATCH_CHANNELS('channels.delete(matchId);'),
    errors: [{ line: 7, message: /Redis connection from `redis.createClient.duplicate` is kept in `channels` and nowhere else, and the entry that holds it is deleted on line 18/ }],
  },
  {
    name: "the same map pruned by host (its keys) without ending the pruned connection: reported at the connection made in the promise",
    ext: '.js',
    code: HOSTS('connections.delete(host);'),
    errors: [{ line: 7, message: /SSH connection from `ssh2.Client` is kept in `connections`, and the entry that holds it is deleted on line 18/ }],
  },
  {
    name: "a device registry whose remove() returns what delete() answered: a boolean, no entry handed on; the socket stays open",
    code: deviceRegistry(''),
    ext: '.js',
    errors: [{ line: 5, message: /kept in `this\.connections`, and the entry that holds it is deleted on line 12/ }],
  },
  {
    name: "a spectator relay that only forgets the upstream when the spectator's socket closes: the upstream is still open",
    code: spectatorRelay('            this.upstreams.delete(id);'),
    errors: [{ line: 6, message: /kept in `this\.upstreams`, and the entry that holds it is deleted on line 10/ }],
  },
  {
    name: "a relay's sync() that only stops listening to the client of a region that went away, iterating the map's keys, and deletes its entry",
    code: regionRelay("              this.#sockets.get(name).off('score');"),
    ext: '.mjs',
    errors: [{ line: 7, message: /kept in `this\.#sockets`, and the entry that holds it is deleted on line 14 by a method that does not close it/ }],
  },
  {
    name: "a module's own map of per-room subscribers whose leaveRoom() deletes the entry and only unsubscribes, while closeAllRoomChannels() quits the rest",
    code: moduleChannels("        await entry.sub.unsubscribe('room:' + roomId);"),
    ext: '.mjs',
    errors: [{ line: 7, message: /is kept in `channels`, and the entry that holds it is deleted on line 22 by a function that does not close it, while the module closes its entries elsewhere/ }],
  },
  {
    name: 'a Redis subscriber per room kept only in its entry, which leave() deletes; the class quits none of them',
    code: roomChannels([], []),
    errors: [{ line: 12, messageId: 'evictedNeverClosed' }],
  },
  {
    name: "a relay whose downstream client's 'close' only clears the map of upstream WebSockets: each stays open, out of reach",
    code: subscriptionRelay(["for (const [id, upstream] of this.routes) upstream.send(JSON.stringify({ id, type: 'complete' }));", 'this.routes.clear();']),
    errors: [{ line: 8, message: /is kept in `this.routes`, and the entry that holds it is deleted on line 20 by a method that does not close it, while the class closes its entries elsewhere/ }],
  },
  {
    name: "a map of connected-client promises (`client.connect().then(() => client)`) whose idle sweep deletes entries without quitting them",
    code: tenantClients('          clients.delete(tenant);'),
    ext: '.js',
    errors: [{ line: 8, message: /is kept in `clients`, and the entry that holds it is deleted on line 19 by a function that does not close it, while the module closes its entries elsewhere/ }],
  },
];
