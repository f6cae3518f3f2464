// unclosed-connection: a class that tests its connection field (`if (this.sub) return`, `!this.sub`,
// `this.sub ? … : …`) only looks at it: that hands it to nobody, and a class that never closes it still leaks it.
// Nor does a private getter that returns it to the class's own code, which only sends requests on it. A watchdog's
// `if (this.socket && stale) this.connect()` enters only while the field holds one: no guard against an overwrite.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const INVALIDATOR = (stop: string) => `
      import { createClient } from 'redis';
      type Redis = ReturnType<typeof createClient>;
      export class CacheInvalidator {
        private sub?: Redis;
        constructor(private readonly redis: Redis, private readonly channel: string) {}
        async start(): Promise<void> {
          if (this.sub) return;
          this.sub = this.redis.duplicate();
          await this.sub.connect();
          await this.sub.subscribe(this.channel, (message) => console.log(message));
        }
        async stop(): Promise<void> {
          if (!this.sub) return;
          ${stop}
        }
      }`;

/** A gateway feed whose watchdog reconnects when no frame came for a while; `test` guards the reconnect. */
const GATEWAY = (test: string) => `
      import net from 'node:net';
      export class GatewayConnection {
        private socket?: net.Socket;
        private lastFrameAt = 0;
        private watchdog?: NodeJS.Timeout;
        constructor(private readonly host: string, private readonly port: number) {}
        start(): void {
          this.connect();
          this.watchdog = setInterval(() => {
            if (${test}) this.connect();
          }, 10_000);
        }
        private connect(): void {
          this.lastFrameAt = Date.now();
          const socket = net.connect({ host: this.host, port: this.port });
          socket.on('data', () => { this.lastFrameAt = Date.now(); });
          this.socket = socket;
        }
        close(): void { clearInterval(this.watchdog); this.socket?.destroy(); }
      }`;

/** A push client keeping a sandbox HTTP/2 session that a private getter lends to `send()`; `use` is how send uses it. */
const PUSH = (use: string, visibility = 'private') => `
      import * as http2 from 'node:http2';
      export class PushClient {
        private sandbox?: http2.ClientHttp2Session;
        constructor(private readonly host: string) {}
        ${visibility} sessionFor(): http2.ClientHttp2Session {
          if (!this.sandbox || this.sandbox.destroyed) this.sandbox = http2.connect(this.host);
          return this.sandbox;
        }
        send(path: string, body: string) {
${use}
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a stop() that unsubscribes and drops the duplicated subscriber without quitting it',
    code: INVALIDATOR(`await this.sub.unsubscribe(this.channel);
          this.sub = undefined;`),
    errors: [{ line: 8, message: /kept in `this.sub`, and nothing in its class ever closes it/ }],
  },
  {
    name: 'a sandbox HTTP/2 session a private getter lends to the class\'s own send(), never closed',
    code: PUSH(`          const session = this.sessionFor();
          const stream = session.request({ ':method': 'POST', ':path': path });
          stream.end(body);`),
    errors: [{ line: 6, message: /kept in `this.sandbox`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a watchdog that reconnects while the field holds a socket (`if (this.socket && stale)`): the stale one stays open",
    code: GATEWAY('this.socket && Date.now() - this.lastFrameAt > 30_000'),
    errors: [{ line: 15, message: /`this.socket` is given a new socket on line 15 while the one it holds may still be open/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a stop() that quits the subscriber it tests for',
    code: INVALIDATOR(`await this.sub.quit();
          this.sub = undefined;`),
  },
  {
    name: 'the same getter made public: other code may take the session and close it',
    code: PUSH(`          this.sessionFor().request({ ':method': 'POST', ':path': path }).end(body);`, 'public'),
  },
  {
    name: 'the private getter whose session send() hands to its caller',
    code: PUSH(`          const session = this.sessionFor();
          return session;`),
  },
  {
    name: 'the same watchdog reconnecting only once the socket is destroyed',
    code: GATEWAY('this.socket && this.socket.destroyed'),
  },
];
