// unclosed-connection: NestJS microservice clients (`ClientProxyFactory.create(o)`, `new ClientTCP(o)`), which
// connect on their first connect(), emit() or send() and hold their transport's connections until close().
// One kept by a singleton service for the app's life (NestJS's own documented shape) is not reported.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "an e2e suite's TCP client connected in beforeAll, whose afterAll only closes the app",
    code: `
      import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
      import { lastValueFrom } from 'rxjs';
      describe('orders over TCP', () => {
        let client: ClientProxy;
        const app = { close: async () => {} };
        beforeAll(async () => {
          client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 4010 } });
          await client.connect();
        });
        afterAll(async () => {
          await app.close();
        });
        it('places an order', async () => {
          expect(await lastValueFrom(client.send({ cmd: 'orders.place' }, { id: 1 }))).toBeDefined();
        });
      });`,
    file: 'test/app.e2e-spec.ts',
    errors: [{ line: 7, message: /NestJS microservice client .* that a test hook keeps in `client`/ }],
  },
  {
    name: 'a Redis client emitted on, left open when recording the shipment rejects before its close',
    code: `
      import { ClientRedis } from '@nestjs/microservices';
      export async function announce(host: string, event: { id: string }, record: (e: { id: string }) => Promise<void>) {
        const client = new ClientRedis({ host, port: 6379 });
        client.emit('orders.shipped', event).subscribe();
        await record(event);
        await client.close();
      }`,
    errors: [{ line: 3, message: /not closed if the `await` on line 5 rejects/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a client a singleton service keeps for the life of the app (the shape of the NestJS docs)',
    code: `
      import { Injectable } from '@nestjs/common';
      import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
      @Injectable()
      export class MathService {
        private readonly client: ClientProxy;
        constructor() {
          this.client = ClientProxyFactory.create({ transport: Transport.TCP, options: { port: 3001 } });
        }
        sum(data: number[]) {
          return this.client.send<number>({ cmd: 'sum' }, data);
        }
      }`,
  },
  {
    name: 'a client made and never used: nothing connects before its first connect(), emit() or send()',
    code: `
      import { ClientProxyFactory, Transport } from '@nestjs/microservices';
      export function describeTransport(port: number) {
        const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { port } });
        return typeof client.send;
      }`,
  },
  {
    name: 'a client closed in finally after its one emit',
    code: `
      import { ClientProxyFactory, Transport } from '@nestjs/microservices';
      import { lastValueFrom } from 'rxjs';
      export async function notifyOnce(host: string, event: { id: string }) {
        const client = ClientProxyFactory.create({ transport: Transport.REDIS, options: { host, port: 6379 } });
        try {
          await lastValueFrom(client.emit('orders.shipped', event), { defaultValue: undefined });
        } finally {
          await client.close();
        }
      }`,
  },
];
