// unclosed-connection: a class (or a module) that keeps one connection per key and closes its entries
// elsewhere reads the entry for a key and then stores a new connection over it, on a path where the old
// one is still there and nothing closes it (a change of configuration, a reconnect): the old connection
// stays open and out of reach. A guard that leaves whenever the entry is there, a store only where it is
// missing, or any call on the old entry or hand-off of it before the store keeps it quiet; so does a test of
// its state (`current.readyState`, `current.destroyed`): replaced because it is not open, most often closed. So
// does a method that stores without looking at the entry, called again by a method a timer runs (a stale meter's
// reconnect), unless that caller closes something first.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A class keeping one upstream WebSocket per venue; `replace` is the loop body between the read and the store. */
function feeds(replace: string): string {
  return `
      import WebSocket from 'ws';
      export class Feeds {
        private readonly feeds = new Map<string, WebSocket>();
        reconfigure(venues: { id: string; url: string }[]): void {
          for (const venue of venues) {
            const current = this.feeds.get(venue.id);
            ${replace}
            const ws = new WebSocket(venue.url);
            this.feeds.set(venue.id, ws);
          }
        }
        close(): void {
          for (const ws of this.feeds.values()) ws.close();
          this.feeds.clear();
        }
      }`;
}

/** A project class that owns a reconnecting WebSocket, kept one per venue by a multiplexer. */
const UPSTREAM = `
      import WebSocket from 'ws';
      class UpstreamFeed {
        private ws?: WebSocket;
        private stopped = false;
        constructor(readonly id: string, readonly url: string, readonly symbols: string[]) {}
        start(): void {
          this.ws = new WebSocket(this.url);
          this.ws.on('close', () => { if (!this.stopped) setTimeout(() => this.start(), 1000); });
        }
        async stop(): Promise<void> {
          this.stopped = true;
          this.ws?.close();
        }
      }`;

/** Flow meters polled on an interval, each with a socket per meter; `stale` is what poll() does for a silent meter. */
const METER_POLLER = (stale: string) => `
      import net from 'node:net';
      export class MeterPoller {
        constructor(meters) { this.meters = meters; this.sockets = new Map(); this.lastSeen = new Map(); this.timer = null; }
        start() {
          for (const meter of this.meters) this.connect(meter);
          this.timer = setInterval(() => this.poll(), 5000);
        }
        connect(meter) {
          const socket = net.connect({ host: meter.host, port: meter.port });
          socket.on('data', () => this.lastSeen.set(meter.id, Date.now()));
          socket.on('error', () => {});
          this.sockets.set(meter.id, socket);
          this.lastSeen.set(meter.id, Date.now());
        }
        poll() {
          for (const meter of this.meters) {
            if (Date.now() - this.lastSeen.get(meter.id) > 30000) {${stale}
              this.connect(meter);
              continue;
            }
            this.sockets.get(meter.id)?.write(Buffer.from([meter.unit, 0x03]));
          }
        }
        stop() {
          clearInterval(this.timer);
          for (const socket of this.sockets.values()) socket.destroy();
          this.sockets.clear();
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a stale meter's socket destroyed by the poller before it connects again",
    ext: '.js',
    code: METER_POLLER(`
              this.sockets.get(meter.id)?.destroy();`),
  },
  {
    name: 'a guard that leaves whenever the entry is there: nothing is replaced',
    code: feeds('if (current) continue;'),
  },
  {
    name: 'an entry replaced only when it is not open: most often it is closed already (left alone)',
    code: feeds('if (current?.readyState === WebSocket.OPEN) continue;'),
  },
  {
    name: 'the old entry closed before the new one is stored',
    code: feeds('if (current && current.url === venue.url) continue;\n            current?.close();'),
  },
  {
    name: 'the old entry handed to a method that retires it',
    code: feeds('if (current && current.url === venue.url) continue;\n            if (current) this.retire(current);').replace('close(): void {', 'retire(ws: WebSocket): void { ws.close(); }\n        close(): void {'),
  },
  {
    name: 'the new connection stored only where the entry is missing',
    code: `
      import WebSocket from 'ws';
      export class Feeds {
        private readonly feeds = new Map<string, WebSocket>();
        ensure(id: string, url: string): WebSocket {
          const current = this.feeds.get(id);
          if (current === undefined) {
            const ws = new WebSocket(url);
            this.feeds.set(id, ws);
            return ws;
          }
          return current;
        }
        close(): void {
          for (const ws of this.feeds.values()) ws.close();
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a stale meter reconnected from the interval's poll(): connect() stores the new socket over the open one",
    ext: '.js',
    code: METER_POLLER(''),
    errors: [{ line: 9, message: /not closed when a new one replaces its entry on line 12/ }],
  },
  {
    name: 'a changed URL replaces the entry without closing the WebSocket it held',
    code: feeds('if (current && current.url === venue.url) continue;'),
    errors: [{ line: 8, message: /is kept in `this\.feeds`; on line 9 a new one is stored over the entry read before/ }],
  },
  {
    name: "a multiplexer's reconfigure stores a new project feed over one whose venue changed, without stop()",
    code: `${UPSTREAM}
      export class FeedMultiplexer {
        private readonly feeds = new Map<string, UpstreamFeed>();
        reconfigure(venues: { id: string; url: string; symbols: string[] }[]): void {
          for (const venue of venues) {
            const current = this.feeds.get(venue.id);
            if (current && current.url === venue.url && current.symbols.join() === venue.symbols.join()) continue;
            const feed = new UpstreamFeed(venue.id, venue.url, venue.symbols);
            this.feeds.set(venue.id, feed);
            feed.start();
          }
        }
        async stop(): Promise<void> {
          const feeds = [...this.feeds.values()];
          this.feeds.clear();
          await Promise.all(feeds.map((f) => f.stop()));
        }
      }`,
    errors: [{ line: 21, message: /on line 22 a new one is stored over the entry read before/ }],
  },
];

/**
 * A hub of Socket.IO clients per room whose `roomUpdated(room)` runs `connectRoom(room)` again, called from outside the class
 * by a JavaScript consumer given the hub in its constructor's options (`this.displays = displays`); `caller` is the consumer's
 * use of it.
 */
const ROOM_HUB = (caller: string) => ({
  ext: '.js' as const,
  file: 'src/displays/roomDisplay.js',
  code: `
      const { io } = require('socket.io-client');
      class RoomDisplayHub {
        constructor({ token }) {
          this.token = token;
          this.sockets = new Map();
        }
        connectRoom(room) {
          const socket = io('http://' + room.host + '/rooms', { auth: { token: this.token, roomId: room.id } });
          socket.on('connect', () => socket.emit('room:config', { name: room.name }));
          this.sockets.set(room.id, socket);
          return socket;
        }
        showBooking(roomId, booking) {
          const socket = this.sockets.get(roomId);
          if (socket && socket.connected) socket.emit('booking:show', booking);
        }
        roomUpdated(room) {
          this.connectRoom(room);
        }
        closeAll() {
          for (const socket of this.sockets.values()) socket.disconnect();
          this.sockets.clear();
        }
      }
      module.exports = { RoomDisplayHub };`,
  files: {
    'src/events/consumer.js': `class BookingEventConsumer {\n  constructor({ bus, displays }) {\n    this.bus = bus;\n    this.displays = displays;\n  }\n  start() {\n    this.bus.on('event', (evt) => {\n${caller}\n    });\n  }\n}\nmodule.exports = { BookingEventConsumer };\n`,
    'src/server.js': "const { EventEmitter } = require('node:events');\nconst { RoomDisplayHub } = require('./displays/roomDisplay');\nconst { BookingEventConsumer } = require('./events/consumer');\nconst displays = new RoomDisplayHub({ token: process.env.TOKEN });\nconst consumer = new BookingEventConsumer({ bus: new EventEmitter(), displays });\nconsumer.start();\nprocess.on('SIGTERM', () => displays.closeAll());\n",
  },
});

const UPDATED_CALL = "      if (evt.type === 'room.updated') this.displays.roomUpdated(evt.room);";
invalid.push({
  name: "a room's update event runs the hub's roomUpdated() from a consumer's listener (the hub given in its constructor's options): connectRoom() stores a new client over the open one",
  ...ROOM_HUB(UPDATED_CALL),
  errors: [{ line: 8, message: /^Socket\.IO client from `socket\.io-client\.io` is not closed when a new one replaces its entry on line 10/ }],
});
valid.push({
  name: 'the same hub whose roomUpdated() disconnects the entry before connecting again',
  ...ROOM_HUB(UPDATED_CALL),
  code: ROOM_HUB(UPDATED_CALL).code.replace('roomUpdated(room) {\n          this.connectRoom(room);', 'roomUpdated(room) {\n          this.sockets.get(room.id)?.disconnect();\n          this.connectRoom(room);'),
});
valid.push({
  name: "the same hub whose roomUpdated() only the application's start-up runs, once",
  ...ROOM_HUB("      if (evt.type === 'room.booked') console.log(evt.room.id);"),
  files: { ...ROOM_HUB('').files, 'src/server.js': ROOM_HUB('').files['src/server.js'] + "displays.roomUpdated({ id: 1, host: 'door-1', name: 'Disco' });\n" },
});
