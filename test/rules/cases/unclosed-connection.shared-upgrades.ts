// unclosed-connection: an 'upgrade' listener on a server the file did not make (a parameter, `app.server`) may
// return before it names the socket for the requests it does not serve (a path test, or a filter the request is
// given): another listener on that server takes them.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An 'upgrade' listener of a server given as an untyped parameter; `guard` decides which requests it leaves alone. */
const BOARD_UPGRADES = (guard: string) => `
      const { WebSocketServer } = require('ws');
      const FLOOR_PATH = /^\\/board\\/floor\\/(\\d+)$/;
      const MAX_BOARDS = 200;
      function attachBoardSocket(server) {
        const wss = new WebSocketServer({ noServer: true });
        server.on('upgrade', (req, socket, head) => {
          const match = FLOOR_PATH.exec(new URL(req.url, 'http://localhost').pathname);
          ${guard}
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, Number(match[1])));
        });
        return wss;
      }
      module.exports = { attachBoardSocket };`;

export const valid: ValidCase[] = [
  {
    name: "an 'upgrade' listener on a server the file was given that returns before using the socket for a path it does not serve: another listener's",
    code: `
      import type { IncomingMessage, Server } from 'node:http';
      import type { Duplex } from 'node:stream';
      import { WebSocketServer } from 'ws';
      export function initBinaryStreams(app: { server: Server }) {
        const wss = new WebSocketServer({ noServer: true });
        app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
          const m = /^\\/streams\\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
          if (!m) return;
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
      }`,
  },
  {
    name: "an 'upgrade' listener on a server the class was given that returns for the requests its caller's filter does not pick: the host server's own listener takes those",
    code: `
      import type http from 'node:http';
      import { WebSocketServer } from 'ws';
      export class Transport {
        private wss = new WebSocketServer({ noServer: true });
        attachToServer(server: http.Server, options: { filter?: (req: http.IncomingMessage) => boolean } = {}) {
          server.on('upgrade', (req, socket, head) => {
            if (options.filter && !options.filter(req)) {
              return;
            }
            this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
          });
          return this;
        }
      }`,
  },
  {
    name: "the same with the path's pattern a const at the top of the file (FLOOR_PATH.exec(pathname))",
    ext: '.js',
    code: BOARD_UPGRADES('if (!match) return;'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a listener of that server that also returns when too many boards are open: a refusal, which leaves the socket open",
    ext: '.js',
    code: BOARD_UPGRADES(`if (!match) return;
          if (wss.clients.size >= MAX_BOARDS) return;`),
    errors: [{ line: 6, message: /not closed when the `return` on line 9 is taken/ }],
  },
];

/** A tablet relay's 'upgrade' listener on a server it is given, serving the path its caller picks; `refused` ends a bad token. */
const TABLET_RELAY = (refused: string) => `
      import { WebSocketServer } from 'ws';
      export function attachTabletRelay(server, tokens, { path = '/tablets' } = {}) {
        const wss = new WebSocketServer({ noServer: true });
        server.on('upgrade', (req, socket, head) => {
          const url = new URL(req.url, 'http://scoreboard.local');
          if (url.pathname !== path) return;
          if (!tokens.has(url.searchParams.get('token'))) {
${refused}
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
        return wss;
      }`;

valid.push({
  name: "an 'upgrade' listener that returns for any path but the one it is given (`url.pathname !== path`): another listener's",
  ext: '.js',
  code: TABLET_RELAY("            socket.write('HTTP/1.1 401 Unauthorized\\r\\n\\r\\n');\n            socket.destroy();"),
});
invalid.push({
  name: 'the same listener refusing a bad token by returning, the socket left open',
  ext: '.js',
  code: TABLET_RELAY('            console.warn(\'refused tablet\');'),
  errors: [{ line: 4, message: /is not closed when the `return` on line 9 is taken/ }],
});
