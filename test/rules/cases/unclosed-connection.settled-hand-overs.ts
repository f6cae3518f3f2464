// unclosed-connection: promise executors whose callbacks hand the connection on some paths only: a PJLink
// handshake whose 'data' listener resolves with the socket once authenticated but rejects an unexpected greeting
// with the socket still open; a tedious connection whose connect callback rejects on its own error (a connect that
// failed left nothing open) and whose request's completion callback, run on the connection by execSql(), rejects
// on a query error with the connection open. A session its request stream's 'close' listener closes is closed on every
// path, whichever listener settles the promise.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A PJLink handshake resolving with the socket; `onBadGreeting` runs before the rejection of a bad greeting. */
const pjlink = (onBadGreeting: string) => `
      const net = require('net');
      function authenticate(host, port = 4352) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port });
          socket.setEncoding('ascii');
          socket.once('error', reject);
          socket.on('data', function onData(raw) {
            if (!/^PJLINK [01]/.test(raw.trim())) {
              socket.removeListener('data', onData);
              ${onBadGreeting}
              reject(new Error('unexpected PJLink greeting from ' + host));
              return;
            }
            socket.removeListener('data', onData);
            socket.removeListener('error', reject);
            resolve(socket);
          });
        });
      }
      module.exports = { authenticate };`;

/** A tedious export; `onQueryError` runs before the rejection of a failed query. */
const tediousExport = (onQueryError: string) => `
      import { Connection, Request } from 'tedious';
      export function exportDay(server: string, day: string): Promise<unknown[]> {
        return new Promise((resolve, reject) => {
          const connection = new Connection({ server, options: { database: 'appointments' } });
          const rows: unknown[] = [];
          connection.connect((connectErr) => {
            if (connectErr) {
              reject(connectErr);
              return;
            }
            const request = new Request('SELECT * FROM appt WHERE day = @day', (requestErr) => {
              if (requestErr) {
                ${onQueryError}
                reject(requestErr);
                return;
              }
              connection.close();
              resolve(rows);
            });
            request.on('row', (columns) => rows.push(columns));
            connection.execSql(request);
          });
        });
      }`;

export const valid: ValidCase[] = [
  {
    name: "an HTTP/2 HEAD whose session the request stream's 'close' listener closes, after the promise is settled by its response",
    ext: '.js',
    code: `
      import http2 from 'node:http2';
      export function variantHeaders(origin, path) {
        return new Promise((resolve, reject) => {
          const session = http2.connect(origin);
          session.on('error', reject);
          const req = session.request({ ':method': 'HEAD', ':path': path });
          req.on('response', (headers) => {
            resolve({ status: headers[':status'], etag: headers.etag ?? null });
            req.resume();
          });
          req.on('error', reject);
          req.on('close', () => session.close());
          req.end();
        });
      }`,
  },
  {
    name: 'a PJLink handshake that destroys the socket before it rejects an unexpected greeting',
    ext: '.js',
    code: pjlink('socket.destroy();'),
  },
  {
    name: "a tedious export that rejects on its connect callback's error (nothing connected) and closes before rejecting a failed query",
    code: tediousExport('connection.close();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same handshake rejecting an unexpected greeting with the socket open: the caller never gets it',
    ext: '.js',
    code: pjlink("console.warn('bad greeting');"),
    errors: [{ line: 4, message: /not closed once the promise is settled on line 11/ }],
  },
  {
    name: "the same export rejecting a failed query with the connection open (the request's callback runs on it)",
    code: tediousExport("console.warn('query failed');"),
    errors: [{ line: 4, message: /not closed once the promise is settled on line 14/ }],
  },
];
