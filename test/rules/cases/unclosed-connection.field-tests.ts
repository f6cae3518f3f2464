// unclosed-connection: a class that tests its connection field (`if (this.sub) return`, `!this.sub`,
// `this.sub ? … : …`) only looks at it: that hands it to nobody, and a class that never closes it still leaks it.
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

export const invalid: InvalidCase[] = [
  {
    name: 'a stop() that unsubscribes and drops the duplicated subscriber without quitting it',
    code: INVALIDATOR(`await this.sub.unsubscribe(this.channel);
          this.sub = undefined;`),
    errors: [{ line: 8, message: /kept in `this.sub`, and nothing in its class ever closes it/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a stop() that quits the subscriber it tests for',
    code: INVALIDATOR(`await this.sub.quit();
          this.sub = undefined;`),
  },
];
