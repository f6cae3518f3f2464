// unclosed-connection: a connection a method keeps in a field from inside a local function it calls itself
// (`const connect = async () => { const ws = new WebSocket(url); this.ws = ws; … }; void connect()`, the usual
// shape of a reconnecting subscription): the field is the class's as if the method had set it directly. Also a field
// given a new connection through a local, whose old one is saved after the new one is made and closed after the swap.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An SDK client whose subscription reconnects through a local connect(); `close` is its release method's body. */
const SDK = (close: string) => `
      import WebSocket from 'ws';
      import { Agent } from 'node:https';
      export class MarinaClient {
        private ws?: WebSocket;
        private closed = false;
        private readonly agent = new Agent({ keepAlive: true });
        constructor(private readonly url: string) {}
        onBerthUpdates(listener: (update: unknown) => void, onError?: (err: Error) => void): void {
          const connect = async (): Promise<void> => {
            const ws = new WebSocket(this.url, { agent: this.agent });
            this.ws = ws;
            ws.on('message', (data) => listener(JSON.parse(data.toString())));
            ws.on('error', (err) => onError?.(err));
            ws.on('close', () => {
              if (this.ws !== ws || this.closed) return;
              setTimeout(() => void connect().catch((err) => onError?.(err)), 2_000);
            });
          };
          void connect().catch((err) => onError?.(err));
        }
        async close(): Promise<void> {
          ${close}
        }
      }`;

/** A bus that swaps its MQTT client for one with rotated certificates; `after` is what follows the swap. */
const BUS = (after: string) => `
      import { once } from 'node:events';
      import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
      export class MqttBus {
        private client: MqttClient;
        constructor(private readonly url: string, private readonly options: IClientOptions = {}) {
          this.client = this.open(options);
        }
        private open(options: IClientOptions): MqttClient {
          const client = mqtt.connect(this.url, { reconnectPeriod: 2000, ...options });
          client.on('error', (err) => console.error(err.message));
          return client;
        }
        async reloadCertificates(key: string, cert: string): Promise<void> {
          const next = this.open({ ...this.options, key, cert });
          try {
            await once(next, 'connect', { signal: AbortSignal.timeout(15_000) });
          } catch (err) {
            next.end(true);
            throw err;
          }
          const previous = this.client;
          this.client = next;
          ${after}
        }
        async close(): Promise<void> {
          await this.client.endAsync();
        }
      }`;

/** A UDP feed whose retune() starts it again on another port; `retune` is that method's body. */
const FEED = (retune: string) => `
      import dgram from 'node:dgram';
      import { EventEmitter } from 'node:events';
      export class LiveFeed extends EventEmitter {
        private socket?: dgram.Socket;
        constructor(private readonly opts: { port: number }) { super(); }
        start(): Promise<number> {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          this.socket = socket;
          socket.on('message', (msg) => this.emit('reading', msg.toString('ascii')));
          return new Promise((resolve) => socket.bind(this.opts.port, () => resolve(socket.address().port)));
        }
        async retune(port: number): Promise<number> {
          this.opts.port = port;
          ${retune}
        }
        close(): Promise<void> {
          const socket = this.socket;
          this.socket = undefined;
          return new Promise((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a UDP feed whose retune() closes the bound socket before binding the new port',
    code: FEED('await this.close();\n          return this.start();'),
  },
  {
    name: 'a client swapped for one with rotated certificates: the old one, saved just before the swap, is ended after it',
    code: BUS('await previous.endAsync();'),
  },
  {
    name: "a subscription's WebSocket set by a local connect() the method calls, closed by the client's close()",
    code: SDK('this.closed = true;\n          this.ws?.close();\n          this.agent.destroy();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a UDP feed whose retune() binds a new socket over the one still bound: the old one stays bound and keeps the process alive',
    code: FEED('return this.start();'),
    errors: [{ line: 7, message: /^`this.socket` is given a new UDP socket on line 7 while the one it holds may still be open/ }],
  },
  {
    name: 'the same swap that only logs the old client: it stays connected, and reconnects',
    code: BUS("console.info('swapped', previous.options.clientId);"),
    errors: [{ line: 9, message: /^`this.client` is given a new MQTT client on line 14 while the one it holds may still be open/ }],
  },
  {
    name: "a subscription's WebSocket set by a local connect() the method calls, left open by the close() that destroys the agent",
    code: SDK('this.closed = true;\n          this.agent.destroy();'),
    errors: [{ line: 10, message: /^WebSocket from `ws` is kept in `this.ws`, and nothing in its class ever closes it/ }],
  },
];
