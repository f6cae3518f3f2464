// unclosed-connection: socket.io's adapters (`createAdapter(pub, sub)` of @socket.io/redis-adapter and its
// siblings) subscribe with the clients they are given and never quit them: a class that keeps the clients
// in fields still has to close them.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const GATEWAY = (close: string, adapterModule = '@socket.io/redis-adapter') => `
      import { Server } from 'socket.io';
      import { createAdapter } from '${adapterModule}';
      import { Redis } from 'ioredis';
      export class ChatGateway {
        private pub?: Redis;
        private sub?: Redis;
        constructor(readonly io: Server, private readonly url: string) {}
        async start(): Promise<void> {
          this.pub = new Redis(this.url, { lazyConnect: true });
          this.sub = this.pub.duplicate();
          await Promise.all([this.pub.connect(), this.sub.connect()]);
          this.io.adapter(createAdapter(this.pub, this.sub, { key: 'chat-gw' }));
        }
        async close(): Promise<void> {
          ${close}
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a gateway that quits its publisher and forgets the subscriber it lent to the redis adapter',
    code: GATEWAY('await this.pub?.quit();'),
    errors: [{ line: 10, message: /kept in `this.sub`, and nothing in its class ever closes it/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a gateway that quits both clients it lent to the redis adapter',
    code: GATEWAY('await Promise.all([this.pub?.quit(), this.sub?.quit()]);'),
  },
  {
    name: "a createAdapter of the project's own, which may take the clients over: silent",
    code: GATEWAY('await this.pub?.quit();', './realtime/adapter'),
  },
];
