// unconsumed-response: the ResultSet of an `@clickhouse/client` `query()` wraps the HTTP response
// (client-node result_set.ts): `json()`, `text()` and `stream()` read it, `close()` destroys it, and one left
// alone keeps its keep-alive socket away from the client's agent.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const CLIENT = `import { createClient } from '@clickhouse/client';\nexport const clickhouse = createClient({ url: process.env.CLICKHOUSE_URL });`;

/** An export of a day's samples; `aborted` is what it does when the signal is already aborted. */
const exportDay = (aborted: string) => `
      import { clickhouse } from './clickhouse.js';
      export async function exportDay(day, sink, { signal } = {}) {
        const rs = await clickhouse.query({ query: 'SELECT ts, watts FROM samples WHERE toDate(ts) = {day:Date}', query_params: { day }, format: 'JSONEachRow' });
        if (signal?.aborted) {
          ${aborted}
          return 0;
        }
        let written = 0;
        for await (const rows of rs.stream()) {
          for (const row of rows) { sink.write(row.text + '\\n'); written += 1; }
        }
        return written;
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a ClickHouse ResultSet left unread when the export returns early on an aborted signal',
    code: exportDay(''),
    ext: '.js',
    files: { 'clickhouse.js': CLIENT },
    errors: [{ line: 3, message: /@clickhouse\/client\.createClient\.query.*`return` on line 6/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same early return closing the ResultSet first',
    code: exportDay('rs.close();'),
    ext: '.js',
    files: { 'clickhouse.js': CLIENT },
  },
  {
    name: 'a ResultSet read by json()',
    code: `
      import { clickhouse } from './clickhouse.js';
      export async function lastSampleAt(id) {
        const rs = await clickhouse.query({ query: 'SELECT max(ts) AS last FROM samples WHERE id = {id:String}', query_params: { id }, format: 'JSONEachRow' });
        const rows = await rs.json();
        return rows[0]?.last ?? null;
      }`,
    ext: '.js',
    files: { 'clickhouse.js': CLIENT },
  },
];
