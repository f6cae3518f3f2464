// unclosed-connection: what a proxy and mock-server library does with the sockets it serves — a suite
// that stops a mockttp server after each test (its stop() destroys every connection it accepted, also in
// mockttp's own tests, which import it by path), an after hook whose body is the stopping call itself, and a
// helper named for closing what it is given (`resetOrDestroy(socket)`) that reaches the socket where the walk
// cannot follow it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A TLS test against a mockttp server; `teardown` stops it (or not), `from` is where getLocal comes from. */
function tlsSuite(teardown: string, from = 'mockttp'): string {
  return `
      import * as tls from 'tls';
      import { getLocal } from '${from}';
      describe('HTTPS defaults', () => {
        let server = getLocal({ https: { keyPath: './test/fixtures/ca.key', certPath: './test/fixtures/ca.pem' } });
        beforeEach(() => server.start());
${teardown}
        it('uses the default domain when no SNI is given', async () => {
          const tlsSocket = tls.connect({ host: 'localhost', port: server.port, rejectUnauthorized: false });
          await new Promise((resolve) => tlsSocket.once('secureConnect', resolve));
          if (!tlsSocket.getPeerCertificate().subject) throw new Error('no certificate');
        });
      });`;
}

/** A project mock server whose stop() destroys the sockets it keeps; `hook` stops it. */
function droppingServerSuite(hook: string): string {
  return `
      import * as net from 'net';
      class MockServer {
        private sockets = new Set<net.Socket>();
        private server = net.createServer((s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); s.resume(); });
        port = 0;
        async start() { await new Promise<void>((r) => this.server.listen(0, r)); this.port = (this.server.address() as net.AddressInfo).port; }
        stop() { for (const s of this.sockets) s.destroy(); this.server.close(); }
      }
      describe('raw sockets', () => {
        const server = new MockServer();
        before(() => server.start());
${hook}
        it('accepts a connection', async () => {
          const socket = net.connect(server.port, '127.0.0.1');
          await new Promise((resolve) => socket.once('connect', resolve));
        });
      });`;
}

/** A vitest file's fake upstream: a helper that starts a server and returns `returned` (built from `server`); `after` ends the test. */
const FAKE_API = (returned: string, after = '') => `
      import { describe, expect, it } from 'vitest';
      import http from 'node:http';
      import type { AddressInfo } from 'node:net';
      async function fakeWeatherApi(handler: http.RequestListener) {
        const server = http.createServer(handler);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as AddressInfo;
        return ${returned};
      }
      describe('forecast', () => {
        it('parses the daily forecast', async () => {
          const api = await fakeWeatherApi((_req, res) => res.end('{"days":[]}'));
          expect(api).toBeTruthy();${after}
        });
      });`;

export const valid: ValidCase[] = [
  {
    name: "a test file's helper that returns the fake server's address and a close() for it, which the test calls",
    code: FAKE_API("{ url: `http://127.0.0.1:${port}`, close: () => server.close() }", '\n          api.close();'),
    file: 'test/forecast.test.ts',
  },
  {
    name: "a test file's helper that returns the fake server itself, which the test closes",
    code: FAKE_API('server', '\n          api.close();'),
    file: 'test/forecast.test.ts',
  },
  {
    name: "a test's TLS client to a mockttp server that afterEach stops: stop() destroys every connection it accepted",
    code: tlsSuite(`        afterEach(() => server.stop());`),
    file: 'test/https.spec.ts',
  },
  {
    name: "the same in mockttp's own tests, which import it by path ('../..' is the package itself)",
    code: tlsSuite(`        afterEach(() => server.stop());`, '../..'),
    file: 'test/integration/https.spec.ts',
    files: { 'package.json': '{ "name": "mockttp", "main": "dist/main.js", "types": "dist/main.d.ts" }', 'src/main.ts': 'export function getLocal(o?: any): any { return o; }' },
  },
  {
    name: "a raw socket to a project mock server whose stop() destroys its sockets, stopped by an after hook whose body is the call",
    code: droppingServerSuite(`        after(() => server.stop());`),
    file: 'test/raw.spec.ts',
  },
  {
    name: "an accepted socket handed to a helper named for closing it, which resets the socket under its TLS layers",
    code: `
      import * as net from 'net';
      import * as tls from 'tls';
      export function resetOrDestroy(target: net.Socket | { socket?: net.Socket }) {
        let socket = ('socket' in target && target.socket) ? target.socket : target as net.Socket;
        while (socket instanceof tls.TLSSocket) {
          const parent = (socket as any)._parent as net.Socket | undefined;
          if (!parent) break;
          socket = parent;
        }
        if (!socket.destroyed) socket.resetAndDestroy();
      }
      export function unknownProtocolServer(onPassthrough: (s: net.Socket, host: string, port: number) => void) {
        return net.createServer((socket) => {
          const address = (socket as any).tunnelAddress as string | undefined;
          try {
            if (!address) throw new Error('unknown protocol without destination');
            const [host, port] = address.split(':');
            onPassthrough(socket, host, Number(port));
          } catch (e) {
            console.error('unknown protocol server error', e);
            resetOrDestroy(socket);
          }
        });
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a test file's helper that starts a fake server and returns only its address: nothing can close it",
    code: FAKE_API('`http://127.0.0.1:${port}/v2`'),
    file: 'test/forecast.test.ts',
    errors: [{ line: 5, message: /^Server from `http.createServer` is never closed; it stays open when the `return` on line 8 is taken/ }],
  },
  {
    name: "a test's TLS client to a mockttp server the suite never stops",
    code: tlsSuite(`        after(() => console.log('done'));`),
    file: 'test/https.spec.ts',
    errors: [{ line: 8 }],
  },
  {
    name: 'the same mock server stopped only by a hook of another kind (before each test): the last test leaves its socket open',
    code: droppingServerSuite(`        beforeEach(() => console.log('next'));`),
    file: 'test/raw.spec.ts',
    errors: [{ line: 14 }],
  },
  {
    name: 'a helper named for closing whose body closes nothing: its name alone is not taken at its word',
    code: `
      import * as net from 'net';
      function destroySocket(socket: net.Socket) {
        console.warn('dropping', socket.remoteAddress);
      }
      export const server = net.createServer((socket) => {
        if (!socket.remoteAddress) return destroySocket(socket);
        socket.on('data', (d) => socket.write(d));
        socket.on('end', () => socket.end());
      });`,
    errors: [{ line: 5 }],
  },
];
