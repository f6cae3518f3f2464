// unclosed-connection: a class whose socket's own 'close' listener schedules the reconnect (kept in a field) and whose
// stop() clears that timer and then closes the socket: ws (and net) emit 'close' afterwards, so the listener schedules
// the reconnect again and start() opens a socket after shutdown that nothing closes. Not when the listener tests a flag
// stop() sets, nor when stop() removes the listeners before it closes. And a reset() that connects again over the open
// socket (a reset runs while connected), unless it closes that socket first.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A vendor feed over ws; `guard` opens the 'close' listener, `stop` is stop()'s body. */
const FEED = (guard: string, stop: string) => `
      const WebSocket = require('ws');
      class VendorFeed {
        constructor(url) {
          this.url = url;
          this.ws = null;
          this.stopped = false;
          this.reconnectTimer = null;
        }
        start() {
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('message', (data) => console.log(String(data)));
          ws.on('error', (err) => console.warn(err.message));
          ws.on('close', () => {
${guard}
            this.reconnectTimer = setTimeout(() => this.start(), 1000);
          });
        }
        stop() {
${stop}
        }
      }
      module.exports = { VendorFeed };`;

const CLEAR_THEN_CLOSE = "          clearTimeout(this.reconnectTimer);\n          if (this.ws) this.ws.close(1000, 'shutting down');";

export const invalid: InvalidCase[] = [
  {
    name: "a feed whose stop() clears the reconnect timer, then closes the socket whose 'close' listener sets it again",
    ext: '.js',
    code: FEED('', CLEAR_THEN_CLOSE),
    errors: [{ line: 10, message: /^`this\.ws` is given a new WebSocket by the reconnect scheduled on line 16 even after the object is closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same feed whose 'close' listener returns once stop() has set its flag",
    ext: '.js',
    code: FEED('            if (this.stopped) return;', "          this.stopped = true;\n" + CLEAR_THEN_CLOSE),
  },
  {
    name: "the same feed whose stop() removes the socket's listeners before closing it",
    ext: '.js',
    code: FEED('', "          clearTimeout(this.reconnectTimer);\n          if (this.ws) {\n            this.ws.removeAllListeners('close');\n            this.ws.close(1000, 'shutting down');\n          }"),
  },
];

valid.push({
  name: "a reconnect set by the 'close' listener of another emitter (the bus the feed follows), which stop() does not close: clearing the timer is enough",
  ext: '.js',
  code: FEED('', CLEAR_THEN_CLOSE).replace("          ws.on('close', () => {", "          this.bus = this.bus || new (require('node:events'))();\n          this.bus.on('close', () => {"),
});

/** A room monitor whose reset() (a game master's button) runs `body` before it connects again. */
const MONITOR = (body: string) => `
      const WebSocket = require('ws');
      class RoomMonitor {
        constructor(url) {
          this.url = url;
          this.ws = null;
        }
        connect() {
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('message', (data) => console.log(String(data)));
        }
        reset() {
${body}
          this.connect();
        }
        stop() {
          if (this.ws) this.ws.close();
        }
      }
      module.exports = { RoomMonitor };`;

invalid.push({
  name: 'a reset() that connects again over the socket the field holds (a reset runs while connected)',
  ext: '.js',
  code: MONITOR(''),
  errors: [{ line: 8, message: /^`this\.ws` is given a new WebSocket on line 8 while the one it holds may still be open/ }],
});
valid.push({
  name: 'the same reset() closing the socket first',
  ext: '.js',
  code: MONITOR('          if (this.ws) this.ws.close();'),
});
