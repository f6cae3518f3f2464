// unclosed-connection: an HTTP/2 session whose one request's 'response' listener is where the session's work goes on
// (it runs once), and which leaves on a path without closing it: a poll that gives up on a non-200 answer after
// cancelling only the stream, a snapshot route that answers 404 and returns (its stream's 'error' listener closes the
// session only if the stream fails). Beside the same code closing the session on that path too, or once the stream
// closes whatever the answer.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** Polls the rank API once; `onOther` runs for a status other than 200, `after` after the request is sent. */
const poll = (onOther: string, after = '') => `
      import http2 from 'node:http2';
      export function pollOnce(onUpdate: (ranks: unknown) => void): void {
        const session = http2.connect('https://ranks.airport.example');
        session.on('error', (err) => console.warn(err.message));
        const req = session.request({ ':path': '/v2/taxi-ranks' });
        req.setEncoding('utf8');
        req.on('response', (headers) => {
          if (headers[':status'] !== 200) {
            ${onOther}
            return;
          }
          let raw = '';
          req.on('data', (chunk) => { raw += chunk; });
          req.on('end', () => { session.close(); onUpdate(JSON.parse(raw)); });
        });
        req.end();
        ${after}
      }`;

export const valid: ValidCase[] = [
  {
    name: "an HTTP/2 session whose stream's response listener closes it on the non-200 path too",
    code: poll('req.close(http2.constants.NGHTTP2_CANCEL); session.close();'),
  },
  {
    name: 'an HTTP/2 session closed once its stream closes, whatever the answer',
    code: poll('req.close(http2.constants.NGHTTP2_CANCEL);', "req.on('close', () => session.close());"),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "an HTTP/2 session whose stream's response listener returns on a non-200 answer, cancelling only the stream",
    code: poll('req.close(http2.constants.NGHTTP2_CANCEL);'),
    errors: [{ line: 3, message: /HTTP\/2 session from `http2\.connect` is not closed when the `return` on line 10 is taken/ }],
  },
  {
    name: "a snapshot route's HTTP/2 session left open when the camera answers 404: the stream's 'error' listener closes it only on a failure",
    code: `
      import http2 from 'node:http2';
      import type { FastifyInstance } from 'fastify';
      export function registerCameraRoutes(app: FastifyInstance) {
        app.get<{ Params: { zone: string } }>('/cameras/:zone/snapshot.jpg', (request, reply) => {
          const session = http2.connect('https://nvr.example');
          const stream = session.request({ ':path': \`/zones/\${request.params.zone}/snapshot\` });
          stream.on('error', () => {
            session.destroy();
            reply.code(502).send({ error: 'camera offline' });
          });
          stream.on('response', (headers) => {
            if (headers[':status'] !== 200) {
              reply.code(404).send({ error: 'snapshot unavailable' });
              return;
            }
            stream.on('end', () => session.close());
            reply.send(stream);
          });
          stream.end();
        });
      }`,
    errors: [{ line: 5, message: /is not closed when the `return` on line 14 is taken/ }],
  },
];
