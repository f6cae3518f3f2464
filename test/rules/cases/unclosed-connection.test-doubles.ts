// unclosed-connection: tests whose connections something else accounts for — a WebSocket that an
// `@mswjs/interceptors` (or msw) 'connection' listener answers in memory, and a test that awaits a spy
// registered as the connection's close listener (`expect.poll(() => closed)`, `vi.waitFor(…)`), a
// `new net.Socket()` that stands in for a stream and is never connected (it has no descriptor), a factory the test
// expects to reject (its error kept by the catch and asserted after the try) — beside the look-alikes that leave a
// real connection open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A vitest file with a WebSocket interceptor applied for the suite; `test` is the test's body. */
function intercepted(test: string): string {
  return `
      import { WebSocketInterceptor } from '@mswjs/interceptors/WebSocket';
      declare const vi: any, expect: any, it: any, beforeAll: any, afterAll: any;
      const interceptor = new WebSocketInterceptor();
      beforeAll(() => interceptor.apply());
      afterAll(() => interceptor.dispose());
      it('talks to the socket', async () => {
${test}
        const ws = new WebSocket('wss://api.example.test');
        const message = vi.fn();
        ws.onmessage = message;
        await expect.poll(() => message).toHaveBeenCalledTimes(1);
      });`;
}

/** A vitest test against a server that closes the connection; `wait` waits on the spy `closed`. */
function closedByServer(listen: string, wait: string): string {
  return `
      declare const vi: any, expect: any, it: any;
      it('sees the server close the connection', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/?close=1000');
        const closed = vi.fn();
${listen}
${wait}
        expect(closed.mock.calls[0][0].code).toBe(1000);
      });`;
}

/** A test with a `new net.Socket()`: `use` is what it does with it, `streams` what it hands the tunnel. */
function dummySocket(use: string, streams = 'dummy, dummy'): string {
  return `
      import net from 'node:net';
      declare const it: any, expect: any;
      declare const tunnel: { open(name: string, out: NodeJS.WritableStream, input: NodeJS.ReadableStream): Promise<void> };
      it('rejects an unknown service', async () => {
        const dummy = new net.Socket();
${use}
        await expect(tunnel.open('missing', ${streams})).rejects.toThrow('not found');
      });`;
}

/** A mocha test of a client factory that closes the client when its login fails; `assertion` follows the try. */
const refusedLogin = (assertion: string) => `
      const { expect } = require('chai');
      const { SipClient } = require('../src/sipClient');
      it('rejects a refused login', async function () {
        let error;
        try {
          await SipClient.open({ host: '127.0.0.1', port: 6001, user: 'sc', password: 'wrong' });
        } catch (err) {
          error = err;
        }
${assertion}
      });`;
const SIP_CLIENT = `const net = require('node:net');
class SipClient {
  static async open(opts) {
    const client = new SipClient();
    try {
      await client.connect(opts);
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }
  connect(opts) {
    return new Promise((resolve, reject) => {
      this.socket = net.createConnection(opts.port, opts.host, resolve);
      this.socket.once('error', reject);
    });
  }
  close() { this.socket.destroy(); }
}
module.exports = { SipClient };
`;

export const valid: ValidCase[] = [
  {
    name: 'a never-connected new net.Socket() a test only looks at: no descriptor is ever opened',
    code: dummySocket("        expect(dummy.writable).toBe(true);", 'process.stdout, process.stdin'),
    file: 'test/tunnel.test.ts',
  },
  {
    name: "a WebSocket that an interceptor's 'connection' listener answers in memory (it never calls server.connect())",
    code: intercepted("        interceptor.once('connection', ({ client }) => client.send('hello'));"),
    file: 'test/websocket.test.ts',
  },
  {
    name: "a test that awaits expect.poll() of the spy it set as the WebSocket's onclose: past it, the server has closed it",
    code: closedByServer('        ws.onclose = closed;', '        await expect.poll(() => closed).toHaveBeenCalledTimes(1);'),
    file: 'test/close.test.ts',
  },
  {
    name: "a test that awaits vi.waitFor() of the spy it added as the WebSocket's 'close' listener",
    code: closedByServer("        ws.addEventListener('close', closed);", '        await vi.waitFor(() => expect(closed).toHaveBeenCalled());'),
    file: 'test/close.test.ts',
  },
  {
    name: "a client factory the test expects to reject: the catch keeps the error and the test asserts on it after the try",
    ext: '.js',
    file: 'test/sipClient.test.js',
    files: { 'src/sipClient.js': SIP_CLIENT },
    code: refusedLogin("        expect(error).to.be.an('error');"),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a test file that mocks HTTP with msw, whose WebSocket goes to a real server with a 'connection' listener of its own: nothing closes it",
    code: `
      import { setupServer } from 'msw/node';
      import { WebSocketServer } from 'ws';
      declare const vi: any, expect: any, it: any;
      const server = setupServer();
      const wss = new WebSocketServer({ port: 8090 });
      wss.on('connection', (socket) => socket.send('hello'));
      it('hears hello', async () => {
        server.listen();
        const ws = new WebSocket('ws://127.0.0.1:8090');
        const message = vi.fn();
        ws.onmessage = message;
        await expect.poll(() => message).toHaveBeenCalledTimes(1);
      });`,
    file: 'test/hello.test.ts',
    // The server the file starts at its top level is never closed either.
    errors: [{ line: 5, message: /when it loads \(`wss`, line 5\)/ }, { line: 9 }],
  },
  {
    name: 'a new net.Socket() the test connects to a real port and hands to nothing: nothing closes that connection',
    code: dummySocket("        dummy.connect(8080, '127.0.0.1');", 'process.stdout, process.stdin'),
    file: 'test/tunnel.test.ts',
    errors: [{ line: 5 }],
  },
  {
    name: "a WebSocket whose interceptor 'connection' listener connects it to the real server: nothing closes that connection",
    code: intercepted("        interceptor.once('connection', ({ server }) => server.connect());"),
    file: 'test/websocket.test.ts',
    errors: [{ line: 8 }],
  },
  {
    name: "a test that polls a spy set as the WebSocket's onopen: opened, and left open",
    code: closedByServer('        ws.onopen = closed;', '        await expect.poll(() => closed).toHaveBeenCalledTimes(1);'),
    file: 'test/close.test.ts',
    errors: [{ line: 3 }],
  },
  {
    name: "the same factory whose caught error the test never asserts on: a passing run may have logged in and left the client open",
    ext: '.js',
    file: 'test/sipClient.test.js',
    files: { 'src/sipClient.js': SIP_CLIENT },
    code: refusedLogin("        console.log(error && error.message);"),
    errors: [{ line: 6, messageId: 'dropped' }],
  },
];
