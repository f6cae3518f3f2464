import { RuleTester } from '../helpers/rule-tester';
import * as loggingHandlers from './cases/timeout-without-destroy.logging-handlers';

new RuleTester().run('timeout-without-destroy', {
  valid: [
    {
      name: "a test's request timeout that rejects the promise the test returns: the test fails there",
      code: `
        const http = require('http');
        it('answers quickly', () => {
          return new Promise((resolve, reject) => {
            const req = http.request({ host: '127.0.0.1', port: 2000, path: '/' }, (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode));
            });
            req.on('error', reject);
            req.setTimeout(1500, () => reject(new Error('timeout')));
            req.end();
          });
        });`,
      ext: '.js',
      file: 'test/speed.test.js',
    },
    {
      name: "an HTTP/2 session's idle timeout that closes it",
      code: `
        import http2 from 'http2';
        const sessions = new Map<string, http2.ClientHttp2Session>();
        export function sessionFor(authority: string) {
          const session = http2.connect(authority);
          session.setTimeout(30_000, () => {
            sessions.delete(authority);
            session.close();
          });
          sessions.set(authority, session);
          return session;
        }`,
    },
    {
      name: "a request with a timeout option returned to its caller (a client's request factory), whose owner handles 'timeout'",
      code: `
        import * as http from 'http';
        import * as https from 'https';
        export const createRequest = (url: string): http.ClientRequest => {
          if (url.startsWith('https:')) {
            return https.request(url, { timeout: 1 });
          }
          return http.request(url, { timeout: 300 });
        };`,
    },
    {
      name: 'setTimeout(0) disarms',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(0);
          s.on('data', (d) => console.log(d));
          s.end();
        }`,
    },
    {
      name: 'the handler destroys the socket',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(5000);
          s.on('timeout', () => s.destroy(new Error('idle')));
        }`,
    },
    {
      name: 'the setTimeout callback ends the socket',
      code: `
        import * as net from 'net';
        net.createServer((socket) => {
          socket.setTimeout(30_000, () => socket.end('bye\\n'));
          socket.pipe(socket);
        }).listen(7000);`,
    },
    {
      name: 'request timeout that destroys the request',
      code: `
        import * as http from 'http';
        export function get(url: string) {
          const req = http.get(url, { timeout: 3000 }, (res) => res.resume());
          req.on('timeout', () => req.destroy());
        }`,
    },
    {
      name: 'request timeout with abort()',
      code: `
        import * as https from 'https';
        export function get(url: string, cb: (e?: Error) => void) {
          const req = https.request(url, (res) => { res.resume(); cb(); });
          req.setTimeout(5000, () => {
            req.abort();
            cb(new Error('timeout'));
          });
          req.end();
        }`,
    },
    {
      name: 'resetAndDestroy in a method handler',
      code: `
        import * as net from 'net';
        export class Conn {
          private socket: net.Socket;
          constructor(port: number) {
            this.socket = net.connect(port);
            this.socket.setTimeout(10_000);
            this.socket.on('timeout', this.onTimeout.bind(this));
          }
          private onTimeout() {
            console.warn('idle connection');
            this.socket.resetAndDestroy();
          }
        }`,
    },
    {
      name: 'the handler calls a local helper that closes',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect({ port, timeout: 2000 });
          const cleanup = () => { s.removeAllListeners(); s.destroy(); };
          s.on('timeout', () => { console.log('timeout'); cleanup(); });
          s.on('error', cleanup);
        }`,
    },
    {
      name: 'the event is re-emitted to the owner',
      code: `
        import * as net from 'net';
        import { EventEmitter } from 'events';
        export class Link extends EventEmitter {
          start(port: number) {
            const s = net.connect(port);
            s.setTimeout(1000, () => this.emit('timeout', s));
            return s;
          }
        }`,
    },
    {
      name: 'a socket with a timeout handed to the caller (it may handle timeout)',
      code: `
        import * as net from 'net';
        export function dial(port: number) {
          const s = net.connect({ port, timeout: 1000 });
          return s;
        }`,
    },
    {
      name: 'global setTimeout is not a socket timeout',
      code: `
        export function later(fn: () => void) {
          setTimeout(fn, 1000);
          const t = { setTimeout(ms: number) { return ms; } };
          t.setTimeout(5);
        }`,
    },
    {
      name: 'a handler we cannot see is trusted',
      code: `
        import * as net from 'net';
        import { onIdle } from './idle';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(1000, onIdle);
          s.end();
        }`,
    },
    {
      name: 'the handler rejects and the awaiting code destroys the socket (mongodb connect)',
      code: `
        import * as net from 'net';
        export async function connectSocket(port: number, connectTimeoutMS: number) {
          const socket = net.connect(port);
          socket.setTimeout(connectTimeoutMS);
          const connected = new Promise<net.Socket>((resolve, reject) => {
            socket
              .once('connect', () => resolve(socket))
              .once('timeout', () => reject(new Error('connect timed out')));
          });
          try {
            return await connected;
          } catch (error) {
            socket.destroy();
            throw error;
          } finally {
            socket.setTimeout(0);
          }
        }`,
    },
    {
      name: 'timeout: 0 in the options',
      code: `
        import * as http from 'http';
        http.get('http://a', { timeout: 0 }, (res) => res.resume());`,
    },
    {
      name: "the request kept from a chained .on('error', …) (on() returns the request itself), destroyed on 'timeout'",
      code: `
        const http = require('http');
        function get(port) {
          const req = http.get({ port, path: '/slow', timeout: 2000 }, (res) => res.resume())
            .on('error', () => {});
          req.on('timeout', () => { req.destroy(); });
        }
        module.exports = { get };`,
      ext: '.js',
    },
  ],
  invalid: [
    ...loggingHandlers.invalid,
    {
      name: "a request made with the module a var gets on either branch (require('https') or require('http')), whose timeout only logs",
      code: `
        module.exports = function post(node, baseurl, url, msg) {
          var http;
          if (baseurl.substring(0, 5) === 'https') { http = require('https'); }
          else { http = require('http'); }
          var request = http.get(url, function (res) {
            res.resume();
          }).on('error', function (e) { node.error(e, msg); });
          request.setTimeout(6000, function () {
            node.error('HTTP Timeout', msg);
          });
        };`,
      ext: '.js',
      file: 'emoncms.js',
      errors: [{ line: 8, messageId: 'handler' }],
    },
    {
      name: 'a request with a timeout option, ended on the spot with no handler',
      code: `
        import * as http from 'http';
        export function fire(url: string) {
          http.request(url, { timeout: 300 }).end();
        }`,
      errors: [{ line: 3, message: /nothing handles/ }],
    },
    {
      name: 'setTimeout(ms) with no handler',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(5000);
          s.on('data', (d) => console.log(d));
        }`,
      errors: [{ line: 4, messageId: 'noHandler' }],
      output: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(5000);
          s.on('timeout', () => s.destroy());
          s.on('data', (d) => console.log(d));
        }`,
    },
    {
      name: 'a handler that only logs',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(5000, () => {
            console.log('socket idle');
          });
        }`,
      errors: [{ line: 4, messageId: 'handler' }],
      output: `
        import * as net from 'net';
        export function open(port: number) {
          const s = net.connect(port);
          s.setTimeout(5000, () => {
            console.log('socket idle');
            s.destroy();
          });
        }`,
    },
    {
      name: 'a Promise that only rejects on timeout',
      code: `
        import * as http from 'http';
        export function status(url: string) {
          return new Promise((resolve, reject) => {
            const req = http.get(url, { timeout: 3000 }, (res) => { res.resume(); resolve(res.statusCode); });
            req.on('timeout', () => reject(new Error('timeout')));
          });
        }`,
      errors: [{ line: 5, messageId: 'handler' }],
      output: `
        import * as http from 'http';
        export function status(url: string) {
          return new Promise((resolve, reject) => {
            const req = http.get(url, { timeout: 3000 }, (res) => { res.resume(); resolve(res.statusCode); });
            req.on('timeout', () => { reject(new Error('timeout')); req.destroy(); });
          });
        }`,
    },
    {
      name: "a request's end() sends it and closes nothing: a handler that only rejects still leaves it open",
      code: `
        import * as https from 'https';
        export function getUrl(href: string, body?: Buffer): Promise<Buffer> {
          return new Promise((resolve, reject) => {
            const req = https.request(href, { method: body ? 'POST' : 'GET', timeout: 10_000 }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(Buffer.concat(chunks)));
            });
            req.on('timeout', () => reject(new Error('timeout')));
            req.on('error', reject);
            if (body) req.write(body);
            req.end();
          });
        }`,
      errors: [{ line: 9, messageId: 'handler' }],
    },
    {
      name: "a handler that rejects with an error an imported helper builds: building the error closes nothing",
      code: `
        import http from 'http';
        import https from 'https';
        import { makeError } from './errors';
        export function getUrl(url: string, secure: boolean, ms: number) {
          const request = (secure ? https : http).request(url, {});
          request.setTimeout(ms);
          request.end();
          return new Promise((resolve, reject) => {
            request.on('timeout', () => { reject(makeError('request timeout', 'TIMEOUT')); });
            request.once('response', (resp) => { resp.resume(); resp.on('end', () => resolve(resp.statusCode)); });
          });
        }`,
      errors: [{ line: 9, messageId: 'handler' }],
    },
    {
      name: "an HTTP/2 session's idle timeout that only forgets it in the cache",
      code: `
        import http2 from 'http2';
        const sessions = new Map<string, http2.ClientHttp2Session>();
        export function sessionFor(authority: string) {
          const session = http2.connect(authority);
          session.setTimeout(30_000, () => {
            sessions.delete(authority);
          });
          sessions.set(authority, session);
          return session;
        }`,
      errors: [{ line: 5, messageId: 'handler', message: /HTTP\/2 session/ }],
    },
    {
      name: 'req.setTimeout that calls the callback only',
      code: `
        import * as https from 'https';
        export function fetchText(url: string, cb: (err: Error | null, body?: string) => void) {
          const req = https.get(url, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => cb(null, body));
          });
          req.setTimeout(10_000, () => {
            cb(new Error('Request timed out'));
          });
        }`,
      errors: [{ line: 8, messageId: 'handler' }],
    },
    {
      name: 'timeout option of net.connect with no handler',
      code: `
        import * as net from 'net';
        export function ping(port: number) {
          const s = net.connect({ port, timeout: 1500 });
          s.on('connect', () => s.end('PING\\r\\n'));
        }`,
      errors: [{ line: 3, messageId: 'noHandler' }],
      output: `
        import * as net from 'net';
        export function ping(port: number) {
          const s = net.connect({ port, timeout: 1500 });
          s.on('timeout', () => s.destroy());
          s.on('connect', () => s.end('PING\\r\\n'));
        }`,
    },
    {
      name: 'http.get with a timeout option and the request dropped',
      code: `
        const http = require('http');
        function poll() {
          http.get('http://status.local/', { timeout: 2000 }, (res) => res.resume());
        }
        setInterval(poll, 5000);`,
      ext: '.js',
      errors: [{ line: 3, messageId: 'noHandler' }],
    },
    {
      name: 'the server connection listener arms a timeout and only logs',
      code: `
        import * as net from 'net';
        net.createServer((socket) => {
          socket.setTimeout(60_000);
          socket.on('timeout', () => console.warn('idle client', socket.remoteAddress));
          socket.on('data', (d) => socket.write(d));
        }).listen(7000);`,
      errors: [{ line: 4, messageId: 'handler' }],
      output: `
        import * as net from 'net';
        net.createServer((socket) => {
          socket.setTimeout(60_000);
          socket.on('timeout', () => { console.warn('idle client', socket.remoteAddress); socket.destroy(); });
          socket.on('data', (d) => socket.write(d));
        }).listen(7000);`,
    },
    {
      name: 'a handler that sets a flag',
      code: `
        import * as tls from 'tls';
        export function open(host: string) {
          let timedOut = false;
          const s = tls.connect({ host, port: 443, servername: host });
          s.setTimeout(8000);
          s.once('timeout', () => {
            timedOut = true;
          });
          return () => timedOut;
        }`,
      errors: [{ line: 6, messageId: 'handler' }],
    },
    {
      name: 'a field socket whose handler only logs',
      code: `
        import * as net from 'net';
        export class Client {
          private sock: net.Socket;
          constructor(port: number) {
            this.sock = net.connect(port);
            this.sock.setTimeout(30_000);
            this.sock.on('timeout', () => {
              console.log('idle');
            });
          }
        }`,
      errors: [{ line: 7, messageId: 'handler' }],
      output: `
        import * as net from 'net';
        export class Client {
          private sock: net.Socket;
          constructor(port: number) {
            this.sock = net.connect(port);
            this.sock.setTimeout(30_000);
            this.sock.on('timeout', () => {
              console.log('idle');
              this.sock.destroy();
            });
          }
        }`,
    },
    {
      name: 'the handler returns before doing anything',
      code: `
        import * as net from 'net';
        export function open(port: number, log: (m: string) => void) {
          const s = net.connect(port);
          s.setTimeout(1000, () => {
            log('timeout');
            return;
          });
        }`,
      errors: [{ line: 4, messageId: 'handler' }],
      output: `
        import * as net from 'net';
        export function open(port: number, log: (m: string) => void) {
          const s = net.connect(port);
          s.setTimeout(1000, () => {
            log('timeout');
            s.destroy();
            return;
          });
        }`,
    },
    {
      name: 'http.request timeout option handled by a logger only',
      code: `
        import * as http from 'http';
        const logger = { warn: (...a: unknown[]) => console.log(...a) };
        export function post(body: string) {
          const req = http.request({ host: 'api', method: 'POST', timeout: 5000 });
          req.on('timeout', () => logger.warn('request timed out'));
          req.end(body);
        }`,
      errors: [{ line: 5, messageId: 'handler' }],
    },
  ],
});
