// unconsumed-response: axios with `responseType: 'stream'` rejects a non-2xx answer with the response in the
// error, its `data` the unread IncomingMessage. A `catch` that tests for that response (`err.response?.status
// === 404`) and returns without reading or destroying `err.response.data` leaves it holding its socket; beside
// the catches that destroy it, hand the error on, or belong to a request axios buffers.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A cover download streamed to a file; `onMissing` is what the catch does for a 404 before `return null`. */
function coverDownload(onMissing: string, options = "{ responseType: 'stream' }"): string {
  return `
      import fs from 'node:fs';
      import { pipeline } from 'node:stream/promises';
      import axios from 'axios';
      export async function downloadCover(isbn: string, dest: string): Promise<string | null> {
        let res;
        try {
          res = await axios.get('https://covers.example.org/b/isbn/' + isbn + '-L.jpg', ${options});
        } catch (err) {
          if (axios.isAxiosError(err) && err.response?.status === 404) {
${onMissing}
            return null;
          }
          throw err;
        }
        await pipeline(res.data, fs.createWriteStream(dest));
        return dest;
      }`;
}

export const invalid: InvalidCase[] = [
  {
    name: 'a streamed download whose catch returns null on a 404, leaving the rejected response unread',
    code: coverDownload(''),
    errors: [{ line: 7, message: /^The body of the response from `axios\.get` is not consumed or cancelled when axios rejects with a non-2xx answer and the `catch` leaves on line 11/ }],
  },
  {
    name: 'a streamed narration proxy whose catch answers 502 for any upstream response and returns (JavaScript)',
    code: `
      const axios = require('axios');
      async function streamNarration(res, text) {
        let upstream;
        try {
          upstream = await axios.post('http://tts.internal/api/tts', { text }, { responseType: 'stream', decompress: false });
        } catch (err) {
          if (err.response) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: 'narration unavailable', upstream: err.response.status }));
            return;
          }
          throw err;
        }
        upstream.data.pipe(res);
      }
      module.exports = { streamNarration };`,
    ext: '.js',
    errors: [{ line: 5, message: /the `catch` leaves on line 10/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same download destroying the rejected stream before returning',
    code: coverDownload('            err.response.data.destroy();'),
  },
  {
    name: 'the same download handing the error to a helper that may read it',
    code: coverDownload('            await reportMissing(err);').replace('export async function downloadCover', 'declare function reportMissing(e: unknown): Promise<void>;\n      export async function downloadCover'),
  },
  {
    name: 'the same code without a stream: axios buffers the body of the answer it rejects',
    code: coverDownload('', "{ responseType: 'arraybuffer' }"),
  },
];
