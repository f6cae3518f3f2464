// unclosed-connection: a factory's `let` that its inner `connect()` gives a new WebSocket or socket, whose 'error'
// and 'close' listeners both run `connect` again (a failure emits both, so it opens two and the handle's `close()`
// closes only the last); left alone when the reconnect guards itself (a timer tested or cancelled before it is set
// again, a `connect()` that returns while the variable's socket is open) or only one listener reconnects.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A factory keeping `let ws`; `schedule` is the body of its `scheduleReconnect()`, `onError` the 'error' listener's. */
const FEED = (schedule: string, onError = 'onError(err);\n          scheduleReconnect();', guard = '') => `
      import WebSocket from 'ws';
      export function subscribeAlerts({ url, onAlert, onError = () => {} }) {
        let ws = null;
        let timer = null;
        let stopped = false;
        function connect() {${guard}
          ws = new WebSocket(url, { handshakeTimeout: 10_000 });
          ws.on('message', (data) => onAlert(JSON.parse(String(data))));
          ws.on('error', (err) => {
          ${onError}
          });
          ws.on('close', () => scheduleReconnect());
        }
        function scheduleReconnect() {
          ${schedule}
        }
        connect();
        return {
          close() {
            stopped = true;
            clearTimeout(timer);
            ws?.close(1000, 'client closing');
          },
        };
      }`;

/** A line-protocol link over net: the socket is made in a local and kept in the factory's `let conn`. */
const LINK = (onError: string, onClose: string) => `
      const net = require('node:net');
      function openLink(port, host, onLine) {
        let conn;
        const connect = () => {
          const sock = net.connect(port, host);
          sock.setEncoding('utf8');
          sock.on('data', onLine);
          sock.on('error', ${onError});
          sock.on('close', ${onClose});
          conn = sock;
        };
        connect();
        return { send: (line) => conn.write(line + '\\n'), close: () => conn.end() };
      }
      module.exports = { openLink };`;

export const valid: ValidCase[] = [
  {
    name: 'a factory whose reconnect is scheduled once: it tests the timer it sets',
    code: FEED('if (stopped || timer) return;\n          timer = setTimeout(() => { timer = null; connect(); }, 2000);'),
    ext: '.js',
  },
  {
    name: 'a factory whose reconnect cancels the timer it set before setting it again: the second run replaces the first',
    code: FEED('if (stopped) return;\n          clearTimeout(timer);\n          timer = setTimeout(connect, 2000);'),
    ext: '.js',
  },
  {
    name: "a factory whose 'error' listener only reports: the 'close' listener alone reconnects",
    code: FEED('if (stopped) return;\n          timer = setTimeout(connect, 2000);', 'onError(err);'),
    ext: '.js',
  },
  {
    name: "a factory whose connect() returns while its WebSocket is not closed: the second reconnect does nothing",
    code: FEED('if (stopped) return;\n          timer = setTimeout(connect, 2000);', undefined, '\n          if (ws && ws.readyState !== WebSocket.CLOSED) return;'),
    ext: '.js',
  },
  {
    name: "a factory whose 'error' listener takes the socket's other listeners off before reconnecting",
    code: FEED('if (stopped) return;\n          timer = setTimeout(connect, 2000);', 'ws.removeAllListeners();\n          scheduleReconnect();'),
    ext: '.js',
  },
  {
    name: "a link whose socket reconnects on 'close' only: the 'error' listener logs",
    code: LINK('(err) => console.error(err.message)', '() => setTimeout(connect, 1000)'),
    ext: '.js',
  },
  {
    name: "a class upstream whose reconnect clears the timer field before setting it: each failure schedules one connect",
    code: `
      import WebSocket from 'ws';
      export class Upstream {
        constructor(url) { this.url = url; this.ws = null; this.timer = null; }
        connect() {
          const ws = new WebSocket(this.url);
          ws.on('error', () => this.scheduleReconnect());
          ws.on('close', () => this.scheduleReconnect());
          this.ws = ws;
        }
        scheduleReconnect() {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.connect(), 2000);
        }
        stop() { clearTimeout(this.timer); this.ws?.close(); }
      }`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a factory whose 'error' and 'close' listeners both schedule a reconnect: each failure opens two WebSockets",
    code: FEED('if (stopped) return;\n          timer = setTimeout(connect, 2000);'),
    ext: '.js',
    errors: [{ line: 7, message: /`ws` is given a new WebSocket by both the `'error'` and the `'close'` listener of the one it held: .* `ws` keeps the second/ }],
  },
  {
    name: "a link whose socket's 'error' and 'close' listeners both reconnect in a timer: the first new socket is dropped open",
    code: LINK('() => setTimeout(connect, 1000)', '() => setTimeout(connect, 1000)'),
    ext: '.js',
    errors: [{ line: 5, message: /`conn` is given a new socket by both the `'error'` and the `'close'` listener/ }],
  },
  {
    name: "a factory whose 'close' listener is the reconnect function itself, named",
    code: FEED('if (stopped) return;\n          timer = setTimeout(connect, 2000);').replace("ws.on('close', () => scheduleReconnect());", "ws.on('close', scheduleReconnect);"),
    ext: '.js',
    errors: [{ line: 7, message: /`ws` is given a new WebSocket by both the `'error'` and the `'close'` listener/ }],
  },
];
