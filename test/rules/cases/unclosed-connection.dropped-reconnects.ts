// unclosed-connection: a field replaced from a listener for an event a client that reconnects by itself emits on every
// dropped connection (MQTT.js's and ioredis's 'close'): the old client lives on and reconnects, so the replacement
// overwrites an open one; not when the client was made not to reconnect (`reconnectPeriod: 0`, `retryStrategy: () => null`).
// Likewise a socket made with `allowHalfOpen: true` replaced from its own 'end' listener: past the peer's FIN it stays
// open (CLOSE_WAIT) until it is ended, which a plain socket does by itself.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [];
export const valid: ValidCase[] = [];

/** A telemetry bridge whose MQTT client's 'close' listener opens a fresh client after two minutes offline; `options` are the client's. */
const MQTT_BRIDGE = (options: string) => `
      import mqtt, { IClientOptions, MqttClient } from 'mqtt';
      export class TelemetryBridge {
        private client?: MqttClient;
        private offlineSince?: number;
        private readonly options: IClientOptions = ${options};
        start(): void {
          this.client = mqtt.connect('mqtt://broker:1883', this.options);
          this.watch(this.client);
        }
        private watch(client: MqttClient): void {
          client.on('connect', () => { this.offlineSince = undefined; });
          client.on('close', () => {
            this.offlineSince ??= Date.now();
            if (Date.now() - this.offlineSince > 120_000) this.reconnect();
          });
        }
        private reconnect(): void {
          this.client = mqtt.connect('mqtt://broker:1883', ${options.includes('reconnectPeriod: 0') ? '{ reconnectPeriod: 0, clean: true }' : '{ ...this.options, clean: true }'});
          this.watch(this.client);
        }
        async stop(): Promise<void> {
          await this.client?.endAsync();
        }
      }`;

invalid.push({
  name: "an MQTT client replaced from its own 'close' listener: MQTT.js emits 'close' for every dropped connection and reconnects by itself, so the old client lives on",
  code: MQTT_BRIDGE('{ clientId: `booth-${process.pid}`, reconnectPeriod: 5000 }'),
  errors: [{ line: 18, message: /^`this.client` is given a new MQTT client on line 18 while the one it holds may still be open/ }],
});

valid.push({
  name: "the same bridge whose clients are made with reconnectPeriod: 0: a 'close' is the end of that client",
  code: MQTT_BRIDGE('{ clientId: `booth-${process.pid}`, reconnectPeriod: 0 }'),
});

/** A cache whose ioredis client's 'close' listener opens a fresh client; `options` are the client's. */
const REDIS_CACHE = (options: string) => `
      import Redis from 'ioredis';
      export class SeatCache {
        private redis?: Redis;
        start(): void {
          this.redis = new Redis('redis://cache:6379', ${options});
          this.watch(this.redis);
        }
        private watch(redis: Redis): void {
          redis.on('close', () => this.reopen());
        }
        private reopen(): void {
          this.redis = new Redis('redis://cache:6379', ${options});
          this.watch(this.redis);
        }
        async close(): Promise<void> {
          await this.redis?.quit();
        }
      }`;

invalid.push({
  name: "an ioredis client replaced from its own 'close' listener: ioredis emits 'close' for every dropped connection and reconnects by itself",
  code: REDIS_CACHE('{ maxRetriesPerRequest: 2 }'),
  errors: [{ line: 12, message: /^`this.redis` is given a new Redis connection on line 12 while the one it holds may still be open/ }],
});

valid.push({
  name: "the same cache whose clients retry nothing (retryStrategy: () => null): a 'close' is the end of that client",
  code: REDIS_CACHE('{ retryStrategy: () => null }'),
});

/** A module's Socket.IO bridge whose 'disconnect' listener makes it again after two seconds; `options` are the client's. */
const BRIDGE = (options: string) => `
      import { io, Socket } from 'socket.io-client';
      let bridge: Socket | null = null;
      function connectBridge(onBadge: (evt: unknown) => void): void {
        bridge = io('https://doors.example', ${options});
        bridge.on('badge', onBadge);
        bridge.on('disconnect', (reason) => {
          if (reason === 'io client disconnect') return;
          setTimeout(() => connectBridge(onBadge), 2000);
        });
      }
      export function attachPresence(onBadge: (evt: unknown) => void): void {
        connectBridge(onBadge);
      }
      export function detachPresence(): void {
        bridge?.disconnect();
        bridge = null;
      }`;

invalid.push({
  name: "a module's Socket.IO client made again from its own 'disconnect' listener: after a dropped transport it reconnects by itself, and a second client takes its place in the variable",
  code: BRIDGE("{ transports: ['websocket'] }"),
  errors: [{ line: 4, message: /^`bridge` is given a new Socket.IO client on line 4 while the one it holds may still be open/ }],
});

valid.push({
  name: 'the same bridge made with reconnection: false: a disconnect is the end of that client',
  code: BRIDGE("{ transports: ['websocket'], reconnection: false }"),
});

/** A kiln controller link whose 'end' listener schedules a reconnect; `options` are the socket's. */
const KILN_LINK = (options: string) => `
      import net from 'node:net';
      export class KilnLink {
        private sock?: net.Socket;
        private timer?: NodeJS.Timeout;
        private stopped = false;
        constructor(private readonly host: string, private readonly port: number) {}
        connect(): void {
          const sock = net.createConnection({ host: this.host, port: this.port${options} });
          this.sock = sock;
          sock.on('data', (chunk) => console.log(String(chunk)));
          sock.on('end', () => { if (!this.stopped) this.timer = setTimeout(() => this.connect(), 1000); });
        }
        close(): void { this.stopped = true; clearTimeout(this.timer); this.sock?.destroy(); }
      }`;

invalid.push({
  name: "a half-open socket (allowHalfOpen: true) replaced from its own 'end' listener: it stays open past the peer's FIN",
  code: KILN_LINK(', allowHalfOpen: true'),
  errors: [{ line: 8, message: /`this.sock` is given a new socket on line 8 while the one it holds may still be open/ }],
});

valid.push({
  name: "the same link over a plain socket: Node ends it at the peer's FIN, before the 'end' listener runs the reconnect",
  code: KILN_LINK(''),
});
