// unclosed-connection: an async test ends when the promise it awaits resolves, as a callback test ends
// at `done()`. A close in another emitter's 'error' listener that resolves that promise (or in a
// listener inside `await new Promise((resolve) => …)`) is on the test's passing path, and so is a
// WebSocket whose 'error' listener resolves it: ws closes a socket after its 'error'. A suite's hook that closes
// every client of one WebSocketServer says nothing of a test client whose URL names another server.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const PROXY = `
      import * as http from 'node:http';
      import type { AddressInfo } from 'node:net';
      import { it } from 'vitest';
      import { createProxyServer } from './proxy';
      async function listenOn(server: http.Server): Promise<number> {
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        return (server.address() as AddressInfo).port;
      }`;

const files = { 'proxy.ts': `export function createProxyServer(o: { target: string }): any { return o; }` };

export const valid: ValidCase[] = [
  {
    name: "a test's server whose handler never uses its connections: its client sends nothing, so the client's FIN ends each one (allowHalfOpen is off)",
    file: 'test/timeout.test.ts',
    code: `
      import * as net from 'node:net';
      import { it } from 'vitest';
      it('times out on a server that never answers', async () => {
        const blackhole = net.createServer((_socket) => {});
        await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
        const { port } = blackhole.address() as net.AddressInfo;
        const s = net.connect(port, '127.0.0.1');
        s.setTimeout(100, () => s.destroy());
        await new Promise((r) => s.once('close', r));
        blackhole.close();
      });`,
  },
  {
    name: "an upstream closed in the proxy's 'error' listener that resolves the promise the test awaits (Promise.withResolvers)",
    files,
    file: 'test/proxy.test.ts',
    code: `${PROXY}
      it('emits an error when the upstream hangs up', async () => {
        const { promise, resolve } = Promise.withResolvers<void>();
        const upstream = http.createServer((req) => req.socket.destroy());
        const port = await listenOn(upstream);
        const proxy = createProxyServer({ target: 'http://127.0.0.1:' + port });
        proxy.on('error', () => {
          upstream.close();
          resolve();
        });
        http.request('http://127.0.0.1:' + port).on('error', () => {}).end();
        await promise;
      });`,
  },
  {
    name: "the same close in a listener inside the awaited promise's executor",
    files,
    file: 'test/proxy.test.ts',
    code: `${PROXY}
      it('emits an error when the upstream hangs up', async () => {
        const upstream = http.createServer((req) => req.socket.destroy());
        const port = await listenOn(upstream);
        const proxy = createProxyServer({ target: 'http://127.0.0.1:' + port });
        await new Promise<void>((resolve) => {
          proxy.on('error', () => {
            upstream.close(() => resolve());
          });
          http.request('http://127.0.0.1:' + port).on('error', () => {}).end();
        });
      });`,
  },
  {
    name: "a WebSocket whose 'error' listener counts toward the resolve of the awaited promise",
    file: 'test/ws.test.ts',
    code: `
      import WebSocket from 'ws';
      import { it } from 'vitest';
      it('fails the handshake', async () => {
        const { promise, resolve } = Promise.withResolvers<void>();
        let count = 0;
        function maybeDone() {
          count += 1;
          if (count === 2) resolve();
        }
        const client = new WebSocket('ws://127.0.0.1:1');
        client.on('error', () => maybeDone());
        setTimeout(maybeDone, 10);
        await promise;
      });`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a test WebSocket to the server under test, while the suite's afterAll closes the clients of another one (the fake media server)",
    file: 'test/signalling.test.ts',
    code: `
      import http from 'node:http';
      import { once } from 'node:events';
      import type { AddressInfo } from 'node:net';
      import { afterAll, beforeAll, describe, it } from 'vitest';
      import { WebSocket, WebSocketServer } from 'ws';
      describe('signalling relay', () => {
        let media: WebSocketServer;
        let server: http.Server;
        let url: string;
        beforeAll(async () => {
          media = new WebSocketServer({ port: 0, host: '127.0.0.1' });
          await once(media, 'listening');
          server = http.createServer();
          server.listen(0, '127.0.0.1');
          await once(server, 'listening');
          url = \`ws://127.0.0.1:\${(server.address() as AddressInfo).port}/signalling\`;
        });
        afterAll(() => {
          for (const ws of media.clients) ws.terminate();
          media.close();
          server.close();
        });
        it('relays the answer', async () => {
          const browser = new WebSocket(url);
          await once(browser, 'open');
          browser.send('hello');
          await once(browser, 'message');
        });
      });`,
    errors: [{ line: 24, message: /never closed/ }],
  },
  {
    name: "the same 'error' listener when the test does not await the promise it resolves",
    files,
    file: 'test/proxy.test.ts',
    code: `${PROXY}
      it('emits an error when the upstream hangs up', async () => {
        const { promise, resolve } = Promise.withResolvers<void>();
        const upstream = http.createServer((req) => req.socket.destroy());
        const port = await listenOn(upstream);
        const proxy = createProxyServer({ target: 'http://127.0.0.1:' + port });
        proxy.on('error', () => {
          upstream.close();
          resolve();
        });
        http.request('http://127.0.0.1:' + port).on('error', () => {}).end();
        void promise;
      });`,
    errors: [{ line: 11, message: /never closed/ }],
  },
];
