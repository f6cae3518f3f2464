// unclosed-connection: a class that keeps what a helper of the project returns around a connection
// (`connectWithRetry()` resolving to `{ connection, channel }` of amqplib). Keeping the whole handle, its
// release is `this.handle.connection.close()`, which closes the connection; `this.handle.channel.close()`
// closes only the channel, and the broker connection stays open. Keeping the connection out of the destructured
// handle (`const { connection, channel } = await connectWithRetry(…); this.connection = connection`), a close()
// that closes only the channel forgets the connection. A channel set up by a helper whose only failures are its own
// operations (asserts, binds: a failed one closes the channel) is closed when that helper rejects.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const CONNECT = `
      import amqp from 'amqplib';
      export async function connectWithRetry(url: string, attempts = 5) {
        for (let i = 1; ; i++) {
          try {
            const connection = await amqp.connect(url);
            try {
              const channel = await connection.createConfirmChannel();
              return { connection, channel };
            } catch (err) {
              await connection.close();
              throw err;
            }
          } catch (err) {
            if (i >= attempts) throw err;
            await new Promise((r) => setTimeout(r, 500 * i));
          }
        }
      }`;

/** A worker keeping the whole handle; `release` is its stop()'s close. */
const WORKER = (release: string) => `
      import { connectWithRetry } from './connect';
      type Handle = Awaited<ReturnType<typeof connectWithRetry>>;
      export class ReminderWorker {
        private handle?: Handle;
        async start(): Promise<void> {
          const handle = await connectWithRetry(process.env.AMQP_URL!);
          this.handle = handle;
          await handle.channel.consume('reminders', (msg) => {
            if (msg) handle.channel.ack(msg);
          });
        }
        async stop(): Promise<void> {
          ${release}
          this.handle = undefined;
        }
      }`;

/** A publisher keeping the connection and the channel of the destructured handle; `extra` goes at the end of close(). */
const PUBLISHER = (extra: string) => `
      import type { ConfirmChannel, Connection } from 'amqplib';
      import { connectWithRetry } from './connect';
      export class BookingPublisher {
        private connection?: Connection;
        private channel?: ConfirmChannel;
        async start(): Promise<void> {
          const { connection, channel } = await connectWithRetry(process.env.AMQP_URL!);
          connection.on('close', () => {
            this.channel = undefined;
          });
          this.connection = connection;
          this.channel = channel;
        }
        async publish(key: string, payload: unknown): Promise<void> {
          if (!this.channel) throw new Error('not connected');
          this.channel.publish('bookings', key, Buffer.from(JSON.stringify(payload)));
          await this.channel.waitForConfirms();
        }
        async close(): Promise<void> {
          const channel = this.channel;
          this.channel = undefined;
          if (channel) await channel.close();${extra}
        }
      }`;

const files = { 'src/connect.ts': CONNECT };

export const valid: ValidCase[] = [
  {
    name: "a worker keeping a helper's { connection, channel } whose stop() closes the handle's connection",
    code: WORKER('await this.handle?.connection.close();'),
    files,
    file: 'src/worker.ts',
  },
  {
    name: 'a publisher keeping the destructured connection and channel whose close() closes both',
    code: PUBLISHER('\n          await this.connection?.close();'),
    files,
    file: 'src/publisher.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same worker when stop() closes only the handle's channel: the broker connection stays open",
    code: WORKER('await this.handle?.channel.close();'),
    files,
    file: 'src/worker.ts',
    errors: [{ line: 6, message: /^AMQP connection from `connectWithRetry\(\)` is kept in `this.handle`, and nothing in its class ever closes it/ }],
  },
  {
    name: 'the same publisher when close() closes only the channel: the connection it keeps stays open',
    code: PUBLISHER(''),
    files,
    file: 'src/publisher.ts',
    errors: [{ line: 7, message: /^AMQP connection from `connectWithRetry\(\)` is kept in `this.connection`, and nothing in its class ever closes it/ }],
  },
];

/** A memoized confirm channel set up by a helper of the module; `topology` is the helper's body. */
const SHARED_CHANNEL = (topology: string) => `
      const amqp = require('amqplib');
      let channelPromise = null;
      async function assertTopology(ch) {
${topology}
      }
      function getChannel() {
        if (!channelPromise) {
          channelPromise = amqp.connect(process.env.AMQP_URL).then(async (conn) => {
            const ch = await conn.createConfirmChannel();
            ch.on('error', (err) => console.error(err.message));
            await assertTopology(ch);
            return ch;
          });
        }
        return channelPromise;
      }
      module.exports = { getChannel };`;

valid.push({
  name: "a channel set up by a helper whose only failures are the channel's own asserts (a failed assert closes the channel)",
  code: SHARED_CHANNEL("        await ch.assertExchange('orders', 'topic', { durable: true });\n        await ch.bindQueue('bake', 'orders', 'order.created');"),
  ext: '.js',
});
invalid.push({
  name: 'the same helper when it also throws on a check of its own: the channel stays open on the connection',
  code: SHARED_CHANNEL("        const q = await ch.assertQueue('bake', { durable: true });\n        if (q.consumerCount > 4) throw new Error('too many bakers');"),
  ext: '.js',
  errors: [{ line: 10, message: /^AMQP channel from `conn.createConfirmChannel` is not closed if the `await` on line 12 rejects/ }],
});
