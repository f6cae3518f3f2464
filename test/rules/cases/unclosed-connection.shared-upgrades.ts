// unclosed-connection: an 'upgrade' listener on a server the file did not make (a parameter, `app.server`) may
// return before it names the socket for the requests it does not serve (a path test, or a filter the request is
// given): another listener on that server takes them.
import { ValidCase } from '../../helpers/rule-tester';

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
];
