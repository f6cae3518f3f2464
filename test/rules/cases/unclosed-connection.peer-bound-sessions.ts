// unclosed-connection: a session per accepted WebSocket that ties its own end to the socket it is given
// (`constructor(ws, sub) { ws.on('close', () => this.close()) }`), where `close()` quits the Redis subscriber
// the session's factory made for it. When the agent hangs up the session closes and quits the subscriber,
// whatever path the factory took, so neither is the factory's to close. Look-alikes that still leak: the
// listener is on the subscriber it wraps (its own end is no reason for it to be quit), and no listener.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A session class with a static factory making its subscriber; `ctor` is the constructor's body. */
const session = (ctor: string) => `
      import WebSocket from 'ws';
      import { createClient } from 'redis';
      type RedisClient = ReturnType<typeof createClient>;
      let base: RedisClient | undefined;
      async function getRedis(): Promise<RedisClient> {
        if (!base) { base = createClient({ url: process.env.REDIS_URL }); await base.connect(); }
        return base;
      }
      export class AgentSession {
        private closed = false;
        private constructor(readonly agentId: string, private readonly ws: WebSocket, private readonly sub: RedisClient) {
          ${ctor}
        }
        static async open(agentId: string, ws: WebSocket): Promise<AgentSession> {
          const b = await getRedis();
          const sub = b.duplicate();
          await sub.connect();
          const session = new AgentSession(agentId, ws, sub);
          if (ws.readyState !== WebSocket.OPEN) {
            await session.close();
            return session;
          }
          await sub.subscribe('notices:' + agentId, (message) => session.send(message));
          session.send('welcome');
          return session;
        }
        send(payload: string): void { if (this.ws.readyState === WebSocket.OPEN) this.ws.send(payload); }
        async close(): Promise<void> {
          if (this.closed) return;
          this.closed = true;
          this.ws.close(1000, 'session closed');
          await this.sub.quit().catch(() => this.sub.disconnect());
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a session closes itself on its WebSocket's 'close' and 'error': the subscriber its factory made is quit when the agent hangs up",
    code: session(`ws.on('message', (d) => this.send(String(d)));
          ws.on('close', () => void this.close());
          ws.on('error', () => void this.close());`),
  },
  {
    name: "the same session keeping the socket by assignment and listening with once('close')",
    code: session(`ws.once('close', () => { void this.close(); });`),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the session closes itself only when its own subscriber ends: a subscribe that rejects leaves both open",
    code: session(`sub.on('end', () => void this.close());`),
    errors: [
      { line: 16, messageId: 'somePaths', message: /Redis connection from `redis.createClient.duplicate` is not closed if the `await` on line 23 rejects/ },
      { line: 18, messageId: 'somePaths', message: /Connection-owning object from `new AgentSession\(\)` is not closed if the `await` on line 23 rejects/ },
    ],
  },
  {
    name: "nothing ties the session to its WebSocket: a subscribe that rejects leaves both open",
    code: session(`ws.on('message', (d) => this.send(String(d)));`),
    errors: [
      { line: 16, messageId: 'somePaths' },
      { line: 18, messageId: 'somePaths' },
    ],
  },
];
