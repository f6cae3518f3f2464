// unclosed-connection: a call of a synchronous project function that throws on a path of its own (a
// validation of input) made after the connection opens and before the `try` that closes it.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a date check of the file's own that throws after connect and before the try: the client stays connected",
    code: `
      import { Client } from 'pg';
      function windowOf(event: { from?: string; to?: string }) {
        const from = new Date(event.from ?? Date.now() - 86_400_000);
        const to = new Date(event.to ?? Date.now());
        if (Number.isNaN(from.getTime()) || from >= to) throw new RangeError('invalid window');
        return { from, to };
      }
      export async function handler(event: { from?: string; to?: string }) {
        const client = new Client({ connectionString: process.env.REPORTS_URL });
        await client.connect();
        const { from, to } = windowOf(event);
        try {
          return (await client.query('SELECT count(*) FROM orders WHERE placed_at BETWEEN $1 AND $2', [from, to])).rows;
        } finally {
          await client.end();
        }
      }`,
    errors: [{ line: 9, message: /is not closed when the function called on line 11 throws/ }],
  },
];
