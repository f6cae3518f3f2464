// unconsumed-response: an HTTP/2 client stream (`session.request(headers)`) is the response body too. It stays open
// on its session, holding one of the concurrent streams the server allows, until it is read to its end, closed or
// destroyed; `req.end(body)` ends only the request side. A stream of a session its function makes itself is left to
// that session (unclosed-connection reports a session left open).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A lab system's JSON over a shared HTTP/2 session; `refused` is what the 'response' listener does on another status. */
const LAB_JSON = (refused: string) => `
      import http2 from 'node:http2';
      let session: http2.ClientHttp2Session | undefined;
      function labSession(): http2.ClientHttp2Session {
        if (!session || session.closed || session.destroyed) session = http2.connect(process.env.LAB_URL ?? 'https://lab.local');
        return session;
      }
      export function getJson(path: string): Promise<unknown> {
        return new Promise((resolve, reject) => {
          const stream = labSession().request({ ':method': 'GET', ':path': path });
          stream.once('response', (headers) => {
            if (Number(headers[':status']) !== 200) {${refused}
              reject(new Error(\`lab answered \${headers[':status']}\`));
              return;
            }
            const chunks: Buffer[] = [];
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.once('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          });
          stream.once('error', reject);
          stream.end();
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a stream of a shared HTTP/2 session left unread when its 'response' listener rejects on another status",
    code: LAB_JSON(''),
    errors: [{ line: 9, message: /^The body of the response from `[\w.()]+\.request` is not consumed or cancelled when the `return` on line 13 is taken\. The stream stays open on its session/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same listener closing the stream before it rejects',
    code: LAB_JSON(`
              stream.close(http2.constants.NGHTTP2_CANCEL);`),
  },
  {
    name: "a stream read with for await after the wait for its 'response' (which rejects only on the stream's own error)",
    code: `
      import http2 from 'node:http2';
      import { once } from 'node:events';
      const carrier = http2.connect('https://carrier.example');
      export async function book(body: string): Promise<unknown> {
        const req = carrier.request({ ':method': 'POST', ':path': '/v2/shipments' });
        req.end(body);
        const [headers] = await once(req, 'response');
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        if (headers[':status'] !== 201) throw new Error('refused');
        return JSON.parse(Buffer.concat(chunks).toString('utf8'));
      }`,
  },
  {
    name: 'a stream of a session the function makes itself and closes: the session ends with its streams',
    code: `
      import http2 from 'node:http2';
      export function purge(origin: string, paths: string[]): Promise<void> {
        return new Promise((resolve, reject) => {
          const session = http2.connect(origin);
          session.on('error', reject);
          const req = session.request({ ':method': 'POST', ':path': '/v1/purge' });
          req.on('response', (headers) => {
            session.close();
            if (Number(headers[':status']) >= 400) reject(new Error('purge refused'));
            else resolve();
          });
          req.end(JSON.stringify({ paths }));
        });
      }`,
  },
];
