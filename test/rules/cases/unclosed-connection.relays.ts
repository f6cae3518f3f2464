// unclosed-connection: relays and pipes. `src.pipe(sock)` ends `sock` when `src` ends, not when `src`
// fails (core/pipes.ts): a listener that swallows the source's error without destroying the
// destination leaves it open; with no listener the error ends the process.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "a test's proxy whose client 'error' listener is empty: in a passing test the client does not fail",
    code: `
      const net = require('net');
      describe('through a proxy', function () {
        let proxy;
        beforeEach(function (done) {
          proxy = net.createServer(function (client) {
            const upstream = net.connect(5432, 'localhost');
            client.pipe(upstream);
            upstream.pipe(client);
            client.on('error', function () {});
            upstream.on('error', function () {});
          });
          proxy.listen(0, done);
        });
        afterEach(function (done) {
          proxy.close(() => done());
        });
      });`,
    ext: '.js',
    file: 'test/proxy.test.js',
  },
  {
    name: "a CONNECT tunnel whose client 'error' listener destroys the upstream",
    code: `
      import * as net from 'net';
      import * as http from 'http';
      export function start(port: number) {
        const server = http.createServer();
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url ?? '', () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
        });
        server.listen(port);
      }`,
  },
  {
    name: "no 'error' listener on the source: its failure is thrown and ends the process",
    code: `
      import * as net from 'net';
      export function relay(client: net.Socket, port: number) {
        const upstream = net.connect(port);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
      }`,
  },
  {
    name: "the source's 'error' listener calls a cleanup function of the code's own",
    code: `
      import * as net from 'net';
      export function relay(client: net.Socket, port: number, cleanup: () => void) {
        const upstream = net.connect(port);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => cleanup());
      }`,
  },
  {
    name: "the source's 'close' listener destroys the destination, whatever the error listener does",
    code: `
      import * as net from 'net';
      export function relay(client: net.Socket, port: number) {
        const upstream = net.connect(port);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', (e) => console.warn('client', e.message));
        client.on('close', () => upstream.destroy());
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a CONNECT tunnel whose client 'error' listener only logs: the upstream stays open when the client fails",
    code: `
      import * as net from 'net';
      import * as http from 'http';
      export function start(port: number) {
        const server = http.createServer();
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url ?? '', () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', (err) => console.warn('tunnel client', err.message));
        });
        server.listen(port);
      }`,
    errors: [{ line: 6, message: /when the stream piped into it fails \(its `error` listener on line 13 leaves it open/ }],
    fixes: ['safe: Close `upstream` when the stream piped into it fails'],
    output: `
      import * as net from 'net';
      import * as http from 'http';
      export function start(port: number) {
        const server = http.createServer();
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url ?? '', () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', (err) => { console.warn('tunnel client', err.message); upstream.destroy(); });
        });
        server.listen(port);
      }`,
  },
  {
    name: 'a relay written with chained pipes and an error listener that counts failures',
    code: `
      const net = require('net');
      let failures = 0;
      function relay(client, port) {
        const upstream = net.connect(port);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => { failures++; });
      }
      module.exports = { relay };`,
    ext: '.js',
    errors: [{ line: 4, message: /line 7 leaves it open/ }],
    output: `
      const net = require('net');
      let failures = 0;
      function relay(client, port) {
        const upstream = net.connect(port);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => { failures++; upstream.destroy(); });
      }
      module.exports = { relay };`,
  },
];
