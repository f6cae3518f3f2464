// unconsumed-response: code that looks like a body left unread on a failure path and is not. `mkdir(dir, { recursive:
// true })` rejects only when the file system refuses (no permission, a file in the way), not on a folder that
// exists: a broken set-up, not a path of the download. An awaited promise whose `reject` is only the got stream's own
// 'error' listener rejects once the stream has failed, and a failed stream is destroyed (autoDestroy); one that a
// timer rejects too leaves the stream open. `pool.request()` without options is no undici request (undici's
// `request(options)` needs them): mssql's request builder, in a package that depends on both.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const DOWNLOAD = (mkdir: string) => `
      import { createWriteStream } from 'node:fs';
      import { mkdir } from 'node:fs/promises';
      import path from 'node:path';
      export async function syncFloorMap(url: string, dir: string): Promise<number> {
        const res = await fetch(url);
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          throw new Error('map server answered ' + res.status);
        }
        await mkdir(dir${mkdir});
        const out = createWriteStream(path.join(dir, 'map.pgm'));
        let bytes = 0;
        try {
          for await (const chunk of res.body) {
            bytes += chunk.byteLength;
            out.write(chunk);
          }
        } finally {
          out.end();
        }
        return bytes;
      }`;

const WARM = (extra: string) => `
      import got from 'got';
      import type { IncomingMessage } from 'node:http';
      export async function warm(url: string): Promise<number> {
        const stream = got.stream(url, { throwHttpErrors: false });
        const response = await new Promise<IncomingMessage>((resolve, reject) => {
          stream.once('response', resolve);
          stream.once('error', reject);${extra}
        });
        if (response.statusCode !== 200) {
          stream.destroy();
          return 0;
        }
        let size = 0;
        for await (const chunk of stream) size += (chunk as Buffer).length;
        return size;
      }`;

export const valid: ValidCase[] = [
  {
    name: "a got stream awaited for its 'response' or its own 'error': a failed stream is destroyed",
    code: WARM(''),
  },
  {
    name: 'a download that makes its folder with mkdir({ recursive: true }) before reading the body',
    code: DOWNLOAD(', { recursive: true }'),
  },
  {
    name: "mssql's pool.request() builder in a package that also depends on undici",
    ext: '.js',
    code: `
      import sql from 'mssql';
      let poolPromise;
      function loyaltyPool() {
        poolPromise ??= new sql.ConnectionPool(process.env.MSSQL_URL).connect();
        return poolPromise;
      }
      export async function balance(userId) {
        const pool = await loyaltyPool();
        const { recordset } = await pool
          .request()
          .input('member', sql.VarChar(64), userId)
          .query('SELECT Points FROM Members WHERE ExternalId = @member');
        return recordset[0]?.Points ?? 0;
      }`,
    files: { 'package.json': '{ "name": "voice-skill", "type": "module", "dependencies": { "mssql": "^10.0.2", "undici": "^6.6.2" } }' },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same wait also rejected by a timer: the stream is still open then',
    code: WARM("\n          setTimeout(() => reject(new Error('no response in 10 s')), 10_000);"),
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: 'the same download with a plain mkdir, which rejects when the folder exists',
    code: DOWNLOAD(''),
    errors: [{ line: 5, messageId: 'somePaths' }],
  },
];
