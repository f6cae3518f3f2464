// connection-churn: an AMQP connection made per call and closed again, whose channel is used again and
// again in a loop of its own: made once for a batch, its connection carries the whole batch (like a
// transport that sends a list of mails); one whose channel publishes once per call is one per call.
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

export const valid: ValidCase[] = [
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
];
