// unclosed-connection: a module's `let` that a function of the module gives a new connection under a condition
// that also holds while the one it holds is open (`!connection || blocked`: the broker's 'blocked' leaves it open),
// beside a lazy connection made only when there is none, and one that closes the old connection first.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A module-level AMQP publisher connected on demand when `guard` holds; `before` runs first in that branch. */
const publisher = (guard: string, before = '') => `
      import amqp from 'amqplib';
      let connection = null;
      let channel = null;
      let blocked = false;
      async function ensureChannel(url) {
        if (${guard}) {
${before}          connection = await amqp.connect(url);
          blocked = false;
          connection.on('blocked', () => { blocked = true; });
          connection.on('unblocked', () => { blocked = false; });
          channel = await connection.createConfirmChannel();
        }
        return channel;
      }
      export async function publish(url, key, body) {
        const ch = await ensureChannel(url);
        ch.publish('events', key, Buffer.from(body));
        await ch.waitForConfirms();
      }
      export async function closePublisher() {
        if (connection) await connection.close();
        connection = null;
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a module connection made only when there is none',
    ext: '.js',
    code: publisher('!connection'),
  },
  {
    name: 'the same publisher closing the blocked connection before it makes a new one',
    ext: '.js',
    code: publisher('!connection || blocked', '          if (connection) await connection.close().catch(() => undefined);\n'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a module connection made again while the broker has blocked it: the blocked one stays open, out of reach",
    ext: '.js',
    code: publisher('!connection || blocked'),
    errors: [{ line: 7, messageId: 'rerun', message: /^`connection` is given a new AMQP connection on line 7 under a condition that also holds while the one it holds is open/ }],
  },
];
