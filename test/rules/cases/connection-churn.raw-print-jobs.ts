// connection-churn: a socket per call whose only write is the `end(job)` that closes it (a raw ZPL job to port 9100):
// the protocol delimits the message by the client's FIN, so each message needs a connection of its own. A socket that
// writes a line and then ends is still one connection per exchange where one would carry them all.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A label printer on a fixed host; `send` is what the connect callback does; printLabels runs for each receiving route request. */
const PRINTER = (send: string) => `
      const net = require('node:net');
      const express = require('express');
      function sendZpl(zpl) {
        return new Promise((resolve, reject) => {
          const socket = net.createConnection({ host: process.env.PRINTER_HOST, port: 9100 });
          socket.once('error', reject);
          socket.once('connect', () => {
${send}
          });
          socket.resume();
        });
      }
      const app = express();
      app.post('/lots/:id/labels', async (req, res) => {
        await sendZpl(String(req.body.zpl));
        res.sendStatus(204);
      });
      module.exports = { app };`;

export const valid: ValidCase[] = [
  {
    name: 'a raw print job sent whole by the end() that half-closes the socket, per request to one printer',
    ext: '.js',
    code: PRINTER("            socket.end(zpl, 'utf8', () => resolve());"),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a line written, then the socket ended, per request: one connection per line where one would carry them all',
    ext: '.js',
    code: PRINTER("            socket.write(zpl);\n            socket.end(() => resolve());"),
    errors: [{ line: 5, messageId: 'tcpSocketPerCall' }],
  },
];
