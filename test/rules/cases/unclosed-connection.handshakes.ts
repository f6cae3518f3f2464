// unclosed-connection: a connection opened for a protocol exchange (SMTP, IMAP, a verify() probe) and
// closed at its end: a give-up timer the function clears, a project helper or a local object that only
// reads and writes the socket, a "settled" flag set where it is closed, a close method a factory puts on
// the server it returns, a one-shot server a promise's callbacks close; each beside a look-alike that
// leaves it open on some path.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A reply reader that listens for lines and removes its listener (it never closes the socket). */
const replyReader = `
      function readReply(socket) {
        return new Promise((resolve, reject) => {
          const onData = (chunk) => { socket.off('data', onData); resolve({ code: Number(String(chunk).slice(0, 3)) }); };
          socket.on('data', onData);
          socket.once('close', () => reject(new Error('closed while waiting for a reply')));
        });
      }`;

export const valid: ValidCase[] = [
  {
    name: "an SMTP probe whose connect promise has a give-up timer, and which quits the session on every path",
    code: `
      import net from 'node:net';${replyReader}
      export async function probe(host) {
        const raw = net.connect({ host, port: 25 });
        await new Promise((resolve, reject) => {
          const timer = setTimeout(() => { raw.destroy(); reject(new Error('timed out')); }, 10_000);
          raw.once('connect', () => { clearTimeout(timer); resolve(); });
        });
        try {
          const greeting = await readReply(raw);
          return greeting.code === 220;
        } finally {
          raw.end('QUIT\\r\\n');
        }
      }`,
    ext: '.js',
  },
  {
    name: "a verify() whose 'settled' flag is set just before each close, or in the connection's 'end' listener: the early returns on it have nothing open",
    code: `
      import { SmtpSession } from './smtp-session.js';
      export function verify(options, callback) {
        const connection = new SmtpSession(options);
        let returned = false;
        connection.once('error', (err) => {
          if (returned) return;
          returned = true;
          connection.close();
          callback(err);
        });
        connection.once('end', () => {
          if (returned) return;
          returned = true;
          callback(new Error('Connection closed'));
        });
        connection.connect(() => {
          if (returned) return;
          connection.login(options.auth, (err) => {
            if (returned) return;
            returned = true;
            if (err) {
              connection.close();
              return callback(err);
            }
            connection.quit();
            callback(null, true);
          });
        });
      }`,
    ext: '.js',
    files: { 'smtp-session.js': `
      import net from 'node:net';
      import { EventEmitter } from 'node:events';
      export class SmtpSession extends EventEmitter {
        constructor(options) { super(); this.options = options; }
        connect(cb) { this.socket = net.connect(this.options.port, this.options.host, cb); this.socket.on('end', () => this.emit('end')); }
        login(auth, cb) { this.socket.write('AUTH\\r\\n'); this.socket.once('data', () => cb(null)); }
        quit() { this.socket.end('QUIT\\r\\n'); }
        close() { this.socket.destroy(); }
      }` },
  },
  {
    name: "a relay server from a factory that puts a closeAll() on it, closed by a test hook with that method",
    code: `
      import { test, before, after } from 'node:test';
      import { createRelayServer } from '../src/relay.js';
      let server;
      before(async () => {
        server = createRelayServer({ hostname: 'test.local' });
        server.listen(0, '127.0.0.1');
      });
      after(async () => {
        await server.closeAll();
      });
      test('greets', () => {});`,
    ext: '.js',
    file: 'test/relay.test.js',
    files: { 'src/relay.js': `
      import net from 'node:net';
      export function createRelayServer({ hostname }) {
        const connections = new Set();
        const server = net.createServer((socket) => {
          connections.add(socket);
          socket.once('close', () => connections.delete(socket));
          socket.write('220 ' + hostname + '\\r\\n');
        });
        server.closeAll = async () => {
          await new Promise((resolve) => {
            server.close(() => resolve());
            for (const c of connections) c.destroy();
          });
        };
        return server;
      }` },
  },
  {
    name: "a port probe whose server settles the promise from its close callback, or from the 'error' of a failed bind",
    code: `
      import net from 'node:net';
      export function isPortFree(port: number): Promise<boolean> {
        return new Promise((resolve, reject) => {
          const srv = net.createServer();
          srv.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
          srv.listen({ port, exclusive: true }, () => {
            srv.close(() => resolve(true));
          });
        });
      }`,
  },
  {
    name: "a server started in a promise that resolves once listening: meant to outlive the promise, not reported",
    code: `
      import http from 'node:http';
      export function start(port: number, handler: http.RequestListener): Promise<void> {
        return new Promise((resolve, reject) => {
          const server = http.createServer(handler);
          server.once('error', reject);
          server.listen(port, () => resolve());
        });
      }`,
  },
  {
    name: "a one-shot callback server whose promise resolves with a close() that closes it",
    code: `
      import net from 'node:net';
      export function fakeSmtp(): Promise<{ port: number; close(): Promise<void> }> {
        return new Promise((resolve, reject) => {
          const server = net.createServer((socket) => socket.end('220 fake\\r\\n'));
          server.once('error', reject);
          const timer = setTimeout(() => server.close(), 60_000);
          server.listen(0, '127.0.0.1', () => {
            resolve({
              port: (server.address() as net.AddressInfo).port,
              close: () => new Promise((done) => { clearTimeout(timer); server.close(() => done()); }),
            });
          });
        });
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a session whose connect promise closes only in a give-up timer it clears: a refused STARTTLS throws with the socket open",
    code: `
      import net from 'node:net';${replyReader}
      export async function connectUpstream(host, requireTls) {
        const raw = net.connect({ host, port: 25 });
        await new Promise((resolve, reject) => {
          const timer = setTimeout(() => { raw.destroy(); reject(new Error('timed out')); }, 30_000);
          raw.once('connect', () => { clearTimeout(timer); resolve(); });
          raw.once('error', (err) => { clearTimeout(timer); reject(err); });
        });
        const ehlo = await readReply(raw);
        if (ehlo.code !== 250 && requireTls) throw new Error(host + ' does not offer STARTTLS');
        return raw;
      }`,
    ext: '.js',
    errors: [{ line: 10, message: /`throw` on line 17/ }],
  },
  {
    name: "an IMAP poll whose socket a local conversation object reads and writes: a failed LOGIN throws before the socket is ended",
    code: `
      import tls from 'node:tls';
      import { once } from 'node:events';
      import { ImapConversation } from './imap.js';
      export async function fetchUnseen(host, user, password) {
        const socket = tls.connect({ host, port: 993, servername: host });
        await once(socket, 'secureConnect');
        const imap = new ImapConversation(socket);
        const login = await imap.command('LOGIN ' + user + ' ' + password);
        if (login.status !== 'OK') throw new Error('login failed for ' + user);
        const search = await imap.command('UID SEARCH UNSEEN');
        await imap.command('LOGOUT');
        socket.end();
        return search.lines;
      }`,
    ext: '.js',
    files: { 'imap.js': `
      export class ImapConversation {
        constructor(socket) {
          this.socket = socket;
          this.seq = 0;
          socket.on('data', (chunk) => this.onData(chunk));
        }
        onData(chunk) { this.pending?.({ status: String(chunk).includes('OK') ? 'OK' : 'NO', lines: [String(chunk)] }); }
        command(text) {
          return new Promise((resolve) => {
            this.pending = resolve;
            this.socket.write('A' + ++this.seq + ' ' + text + '\\r\\n');
          });
        }
      }` },
    errors: [{ line: 5, message: /`throw` on line 9/ }],
  },
  {
    name: "a login's one-shot callback server, closed by its handler: the give-up timer rejects and leaves it listening",
    code: `
      import http from 'node:http';
      export function waitForCallback(state: string, timeoutMs = 120_000): Promise<string> {
        return new Promise((resolve, reject) => {
          const server = http.createServer((req, res) => {
            const url = new URL(req.url ?? '/', 'http://127.0.0.1');
            if (url.searchParams.get('state') !== state) return void res.writeHead(400).end();
            res.end('You are logged in.');
            clearTimeout(timer);
            server.close();
            resolve(url.searchParams.get('code') ?? '');
          });
          const timer = setTimeout(() => {
            reject(new Error('timed out waiting for the browser'));
          }, timeoutMs);
          server.listen(0, '127.0.0.1');
        });
      }`,
    errors: [{ line: 4, message: /settled on line 13/ }],
  },
];
