// unclosed-connection: branches no path takes together: a connection made under one value of an
// unchanged variable and replaced only under another (`if (transport === 'tcp') … if (transport === 'tls')
// …`), beside a replacement under a test that can hold on the same path; a close in `finally` behind a
// helper that tests for null by name (`if (!isNullOrUndefined(con)) await con.close()`), beside one whose
// test also asks something else.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A replica-set shutdown whose MongoClient is closed in `finally` under `test` (`con` is the client or undefined). */
function shutdownCase(test: string): string {
  return `
      import { MongoClient } from 'mongodb';
      import { isNullOrUndefined } from './utils';
      export async function shutdown(uri: string, keep: boolean): Promise<void> {
        let con: MongoClient | undefined;
        try {
          con = await MongoClient.connect(uri, { directConnection: true, serverSelectionTimeoutMS: 5000 });
          await con.db('admin').command({ shutdown: 1, force: true });
        } catch (err) {
          console.warn(err);
        } finally {
          if (${test}) {
            await con.close();
          }
        }
      }`;
}
const UTILS = { 'utils.ts': 'export function isNullOrUndefined(val: unknown): val is null | undefined {\n  return val === null || val === undefined;\n}\n' };

export const valid: ValidCase[] = [
  {
    name: "a connection made under one value of an unchanged variable and replaced only under another (`if (transport === 'tcp') … if (transport === 'tls') …`): no path takes both",
    code: `
      import net from 'node:net';
      import tls from 'node:tls';
      export function dial(transport: string, host: string, port: number) {
        let socket: net.Socket | null = null;
        if (transport === 'tcp') {
          socket = net.connect(port, host);
        }
        if (transport === 'tls') {
          socket = tls.connect({ host, port });
        }
        return socket;
      }`,
  },
  {
    name: "a client closed in finally behind the project's own null test (`if (!isNullOrUndefined(con))`)",
    code: shutdownCase('!isNullOrUndefined(con)'),
    files: UTILS,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a connection replaced under a test that can hold on the same path as the one that made it: the first is dropped",
    code: `
      import net from 'node:net';
      import tls from 'node:tls';
      export function dial(transport: string, secure: boolean, host: string, port: number) {
        let socket: net.Socket | null = null;
        if (transport === 'tcp') {
          socket = net.connect(port, host);
        }
        if (transport === 'tls' || secure) {
          socket = tls.connect({ host, port });
        }
        return socket;
      }`,
    errors: [{ line: 6 }],
  },
  {
    name: 'the same close in finally, skipped when the caller asks to keep the connection',
    code: shutdownCase('!isNullOrUndefined(con) && !keep'),
    files: UTILS,
    errors: [{ line: 6, messageId: 'somePaths' }],
  },
];
