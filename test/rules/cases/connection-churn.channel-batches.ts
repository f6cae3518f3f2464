// connection-churn: an AMQP connection made per call and closed again, whose channel is used again and
// again in a loop of its own: made once for a batch, its connection carries the whole batch (like a
// transport that sends a list of mails); one whose channel publishes once per call is one per call. The same for a
// mongoose connection whose model inserts the chunks of a batch.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const REPLAY = (publish: string) => `
      import amqp from 'amqplib';
      export async function replay(url: string, events: { type: string; id: string }[]): Promise<number> {
        const conn = await amqp.connect(url);
        try {
          const ch = await conn.createConfirmChannel();
          ${publish}
          await ch.waitForConfirms();
          return events.length;
        } finally {
          await conn.close();
        }
      }`;

/** A mongoose connection per archive run; `insert` is what its model does with the rows. */
const ARCHIVE = (insert: string) => `
      import mongoose from 'mongoose';
      const schema = new mongoose.Schema({ tankId: String, value: Number });
      export async function archiveMonth(rows: Array<{ tankId: string; value: number }>, month: string): Promise<number> {
        const conn = mongoose.createConnection(process.env.ARCHIVE_URL ?? 'mongodb://localhost:27017/archive');
        try {
          await conn.asPromise();
          const Reading = conn.model('Reading', schema, 'readings_' + month);
          ${insert}
          return rows.length;
        } finally {
          await conn.close();
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a mongoose connection per archive run whose model inserts the rows in chunks, in a loop of its own",
    code: ARCHIVE('for (let i = 0; i < rows.length; i += 1000) await Reading.insertMany(rows.slice(i, i + 1000));'),
  },
  {
    name: 'a connection per replay whose confirm channel publishes every event of the batch in a loop',
    code: REPLAY(`for (const e of events) ch.publish('bookings', e.type, Buffer.from(JSON.stringify(e)));`),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a connection per call whose channel publishes one message (the batch is only its size)',
    code: REPLAY(`ch.publish('bookings', 'replay', Buffer.from(JSON.stringify(events)));`),
    errors: [{ line: 3, message: /A new `amqplib.connect` is created on every call of `replay` and closed before it returns/ }],
  },
  {
    name: 'the same mongoose connection per call whose model inserts them all at once',
    code: ARCHIVE('await Reading.insertMany(rows);'),
    errors: [{ line: 4, message: /A new `mongoose.createConnection` is created on every call of `archiveMonth` and closed before it returns/ }],
  },
];
