// unclosed-connection: how a test that ends later says so: node:test's `(t, done)` callback tests (done is
// the second parameter), and a Socket.IO client made with `reconnection: false` that the test waits to see
// disconnected (in its 'disconnect' listener, or by awaiting `once(client, 'disconnect')`), a WebSocket whose `onerror` handler property ends the test, a returned promise resolved only
// in a release's callback; beside a callback test whose server is never closed (no safe fix at the body's
// end), an `onerror` that only logs and a returned promise resolved where nothing closes; a `catch` that
// asserts there was no error (that path fails the test) beside one that only logs; a client a before hook makes in its
// server's listen callback (run once before the hook is done) and never disconnects.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A mocha suite whose before hook starts the app's server and, in its listen callback, connects a Socket.IO spectator; `after` is the after hook's body. */
const liveSuite = (after: string) => `
      const { io } = require('socket.io-client');
      const { createApp } = require('../src/server');
      describe('live split feed', function () {
        let app;
        let spectator;
        before(function (done) {
          app = createApp();
          app.server.listen(0, '127.0.0.1', () => {
            spectator = io('http://127.0.0.1:' + app.server.address().port, { transports: ['websocket'] });
            spectator.once('connect', () => done());
          });
        });
        after(async function () {${after}
        });
        it('follows a bib', function (done) {
          spectator.once('split', () => done());
          spectator.emit('follow', '1234');
        });
      });`;

/** A node:test test of a Socket.IO relay that rejects a bad token: the client awaits the error, then `ending`. */
const refusedClient = (ending: string) => `
      import { it } from 'node:test';
      import assert from 'node:assert/strict';
      import { once } from 'node:events';
      import { io } from 'socket.io-client';
      it('rejects a candidate whose token does not verify', async () => {
        const client = io(process.env.RELAY_URL!, { auth: { token: 'nope' }, transports: ['websocket'] });
        const [message] = await once(client, 'relay-error');
        assert.equal(message, 'not authorised');${ending}
      });`;

/** A test that closes its Socket.IO client at the end of a `try`; `onError` is its `catch (err)` body. */
function broadcastTest(onError: string): string {
  return `
      import { io } from 'socket.io-client';
      import { expect } from 'chai';
      import { triggerBroadcast } from './helpers';
      it('sees the broadcast', async () => {
        const client = io('http://localhost:4000', { reconnection: false, transports: ['websocket'] });
        await new Promise<void>((ok) => client.on('connect', () => ok()));
        try {
          await triggerBroadcast();
          client.disconnect();
        } catch (err) {
          ${onError}
        }
      });`;
}

export const valid: ValidCase[] = [
  {
    name: "a node:test callback test (t, done) whose expected 'error' listener closes the server and calls done: its passing path",
    code: `
      import { it } from 'node:test';
      import net from 'node:net';
      import assert from 'node:assert';
      import { connectClient } from '../src/client.js';
      it('reports the broken handshake', (t, done) => {
        const server = net.createServer((sock) => sock.end('garbage')).listen(7883);
        const client = connectClient({ port: 7883, reconnect: false });
        client.on('error', (err) => {
          assert.match(err.message, /handshake/);
          server.close((e) => done(e));
        });
      });`,
    ext: '.js',
    file: 'test/handshake.test.js',
  },
  {
    name: "a Socket.IO client made with reconnection: false whose 'disconnect' listener goes on with the test: closing the server disconnected it for good",
    code: `
      import { Server } from 'socket.io';
      import { io as ioc } from 'socket.io-client';
      import net from 'node:net';
      it('frees the port on close', (done) => {
        const io = new Server(0);
        const port = (io as any).httpServer.address().port;
        const probe = net.createServer();
        const client = ioc('ws://localhost:' + port, { reconnection: false });
        client.on('disconnect', () => probe.listen(port));
        client.on('connect', () => io.close());
        probe.once('listening', () => probe.close(() => done()));
      });`,
    file: 'test/close.test.ts',
  },
  {
    name: "a WebSocket whose onerror handler property ends the test (through a callback made from done): the refused upgrade destroyed it",
    code: `
      const WebSocket = require('ws');
      const { createPartialDone } = require('./common');
      it('refuses an unknown transport', (done) => {
        const partialDone = createPartialDone(done, 2);
        const ws = new WebSocket('ws://localhost:3000/engine.io/?transport=__proto__');
        ws.onerror = partialDone;
        setTimeout(partialDone, 10);
      });
      it('refuses a bad path', (done) => {
        const ws = new WebSocket('ws://localhost:3000/nope');
        ws.onerror = () => done();
      });`,
    ext: '.js',
    file: 'test/server.test.js',
  },
  {
    name: "a test whose returned promise resolves only in the callback of the client's end(): a passing run has closed it",
    code: `
      const { Client } = require('pg');
      it('handles an error on a stream after a failed query', async () => {
        const client = new Client();
        await client.connect();
        return new Promise((resolve, reject) => {
          client.query('SELECT * FROM missing').catch(() => {
            client.end((err) => (err ? reject(err) : resolve()));
          });
        });
      });`,
    ext: '.js',
  },
  {
    name: "a test whose catch asserts there was no error (expect(err).to.be.undefined;): the path through it fails the test",
    code: broadcastTest('expect(err).to.be.undefined;'),
  },
  {
    name: "a test whose catch asserts there was no error (expect(err).toBeUndefined();): the path through it fails the test",
    code: broadcastTest('expect(err).toBeUndefined();'),
  },
  {
    name: "a test whose catch asserts there was no error (assert.ifError(err);): the path through it fails the test",
    code: broadcastTest('assert.ifError(err);'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a node:test callback test (t, done)'s server never closed: done ends it later, so a close at the body's end is no safe fix",
    code: `
      const { it } = require('node:test');
      const net = require('node:net');
      it('reads the greeting', (t, done) => {
        const server = net.createServer((sock) => sock.end('hi'));
        server.listen(7884);
        server.once('listening', () => {
          const c = net.connect(7884);
          c.on('data', () => { c.destroy(); done(); });
        });
      });`,
    ext: '.js',
    file: 'test/greeting.test.js',
    errors: [{ line: 4 }],
    fixes: ['review: Close `server` before the leaking exit (review: the test goes on until a callback calls `done`)'],
  },
  {
    name: "a WebSocket whose onerror handler property only logs: the test ends in its message listener and leaves it open",
    code: `
      const WebSocket = require('ws');
      it('receives the greeting', (done) => {
        const ws = new WebSocket('ws://localhost:3000/');
        ws.onerror = (e) => console.error(e);
        ws.onmessage = () => done();
      });`,
    ext: '.js',
    file: 'test/greeting.test.js',
    errors: [{ line: 3 }],
  },
  {
    name: "a test whose returned promise resolves where nothing closes the client",
    code: `
      const { Client } = require('pg');
      it('handles an error', async () => {
        const client = new Client();
        await client.connect();
        return new Promise((resolve) => {
          client.query('SELECT * FROM missing').catch(() => resolve());
        });
      });`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: "a test whose catch only logs the error: the test passes with the client open",
    code: broadcastTest('console.log(err);'),
    errors: [{ line: 5 }],
  },
  {
    name: "a test whose catch asserts the error is there (expect(err).not.to.be.undefined): that path passes with the client open",
    code: broadcastTest('expect(err).not.to.be.undefined;'),
    errors: [{ line: 5 }],
  },
  {
    name: "the same refused Socket.IO client when the test only awaits the error: the client stays connected",
    code: refusedClient(''),
    file: 'test/relay.spec.ts',
    errors: [{ line: 6, message: /^Socket.IO client from `socket.io-client.io` is never closed; it stays open when the function ends/ }],
  },
];

valid.push({
  name: "a Socket.IO client a test awaits the server's disconnect of (`await once(client, 'disconnect')`): no reconnection after a server disconnect",
  code: refusedClient(`
        const [reason] = await once(client, 'disconnect');
        assert.equal(reason, 'io server disconnect');`),
  file: 'test/relay.spec.ts',
});

invalid.push({
  name: "a Socket.IO client a before hook connects in its server's listen callback, never disconnected: the after hook closes the server only, and the client reconnects",
  code: liveSuite(`
          await app.close();`),
  ext: '.js',
  file: 'test/live.test.js',
  files: { 'src/server.js': 'exports.createApp = () => ({ server: require("node:http").createServer(), close: async () => {} });\n' },
  errors: [{ line: 9, message: /^The Socket.IO client from `socket.io-client.io` that a test hook keeps in `spectator` \(line 9\) is never closed/ }],
});

valid.push({
  name: 'the same suite disconnecting the client in its after hook',
  code: liveSuite(`
          spectator.disconnect();
          await app.close();`),
  ext: '.js',
  file: 'test/live.test.js',
  files: { 'src/server.js': 'exports.createApp = () => ({ server: require("node:http").createServer(), close: async () => {} });\n' },
});
