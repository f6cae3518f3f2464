// unclosed-connection: a project function that keeps what it makes in its module's own variables (`connection =
// conn; channel = ch`) as well as returning it: the module owns it (a `closeBroker()` of its own closes it, its
// `'close'` listener reconnects), so a caller that drops the returned channel drops nothing it owned.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A broker module whose connectBroker() keeps its connection and channel, or not (`keep`), and returns the channel. */
const BROKER = (keep: string) => `
      import amqp from 'amqplib';
      let connection = null;
      let channel = null;
      export async function connectBroker(url) {
        const conn = await amqp.connect(url);
        let ch;
        try {
          ch = await conn.createConfirmChannel();
          await ch.assertExchange('peat.alarms', 'topic', { durable: true });
        } catch (err) {
          await conn.close().catch(() => {});
          throw err;
        }
        conn.on('close', () => { if (connection === conn) { connection = null; channel = null; } });
        ${keep}
        return ch;
      }
      export async function closeBroker() {
        const conn = connection;
        connection = null;
        channel = null;
        if (conn) await conn.close();
      }`;

const MAIN = `import { connectBroker } from './broker.js';
export async function main() {
  await connectBroker(process.env.AMQP_URL);
}
`;

export const valid: ValidCase[] = [
  {
    name: "a caller that drops the channel a broker module keeps in its own variables (its closeBroker() closes the connection)",
    code: MAIN,
    ext: '.js',
    files: { 'broker.js': BROKER('connection = conn;\n        channel = ch;') },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a caller that drops the channel of a connection the helper keeps nowhere",
    code: MAIN,
    ext: '.js',
    files: { 'broker.js': BROKER('') },
    errors: [{ line: 3, message: /^AMQP (channel|connection) from `connectBroker\(\)`/ }],
  },
];
