// unclosed-connection: awaiting a promise that waits for a connection to open is its connect step (if it
// rejects on the connection's 'error', nothing was opened), unless a timer in the promise gives up
// first, or an abort signal given to the wait (`once(socket, 'connect', { signal })`): the connection is
// still being made, opens later (or keeps trying) with nobody to close it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const OPEN_STREAM = (onTimeout: string) => `
      import WebSocket from 'ws';
      export async function openStream(url: string): Promise<WebSocket> {
        const ws = new WebSocket(url);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            ${onTimeout}
          }, 5000);
          ws.once('open', () => { clearTimeout(timer); resolve(); });
          ws.once('error', (err) => { clearTimeout(timer); reject(err); });
        });
        return ws;
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a give-up timer that rejects while the WebSocket is still connecting',
    code: OPEN_STREAM(`reject(new Error('did not open within 5 s'));`),
    errors: [{ line: 3, message: /is not closed if the `await` on line 4 rejects/ }],
  },
  {
    name: "a port scan whose wait for 'connect' gives up on an abort signal and goes on to the next port",
    code: `
      import net from 'node:net';
      import { once } from 'node:events';
      export async function scan(host: string, ports: number[]) {
        const open: number[] = [];
        for (const port of ports) {
          const socket = net.connect({ host, port });
          try {
            await once(socket, 'connect', { signal: AbortSignal.timeout(1500) });
          } catch {
            continue;
          }
          open.push(port);
          socket.end();
        }
        return open;
      }`,
    errors: [{ line: 6, message: /not closed before the next loop iteration/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a give-up timer that terminates the WebSocket before rejecting',
    code: OPEN_STREAM(`ws.terminate();
            reject(new Error('did not open within 5 s'));`),
  },
  {
    name: 'no timer: the promise rejects only on the WebSocket\'s own error, after which it is closed',
    code: `
      import WebSocket from 'ws';
      export async function openStream(url: string): Promise<WebSocket> {
        const ws = new WebSocket(url);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        return ws;
      }`,
  },
  {
    name: "the same scan that destroys the socket when the wait gives up",
    code: `
      import net from 'node:net';
      import { once } from 'node:events';
      export async function scan(host: string, ports: number[]) {
        const open: number[] = [];
        for (const port of ports) {
          const socket = net.connect({ host, port });
          try {
            await once(socket, 'connect', { signal: AbortSignal.timeout(1500) });
          } catch {
            socket.destroy();
            continue;
          }
          open.push(port);
          socket.end();
        }
        return open;
      }`,
  },
];
