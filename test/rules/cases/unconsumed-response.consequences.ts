// unconsumed-response: responses that hold nothing of this process (mocked, read by a helper before
// it throws, a test that only fails, a script whose failure exits, a test's small answer) beside the unread bodies that are real
// leaks. Browser code has its own file (unconsumed-response.browser.ts).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A private helper that throws on a bad status without reading the body; `onFailure` is its only caller's catch. */
function releaseLookup(onFailure: string): string {
  return `
      const fetch = require('node-fetch');
      async function lookupRelease(tag) {
        const res = await fetch('https://releases.example.test/api/' + tag);
        if (!res.ok) throw new Error('lookup failed: ' + res.status);
        return res.json();
      }
      async function install(tag) {
        let release;
        try {
          release = await lookupRelease(tag);
        } catch (err) {
          console.error(err.message);
${onFailure}
        }
        return release.url;
      }
      module.exports = install;`;
}

/** An undici health check whose result is destructured into variables declared before a `try`; `onStatus` handles a non-200. */
function healthCheck(onStatus: string): string {
  return `
      const { request } = require('undici');
      async function check(origin) {
        let statusCode;
        let body;
        try {
          ({ statusCode, body } = await request(origin + '/healthz'));
        } catch {
          return false;
        }${onStatus}
        await body.json();
        return true;
      }
      module.exports = { check };`;
}

export const valid: ValidCase[] = [
  {
    name: "a helper's unread error body, when its only caller's catch ends the process",
    code: releaseLookup('          process.exit(1);'),
    ext: '.js',
  },
  {
    name: "a test's fetch to a host that no nock scope intercepts, status only: the few bytes are buffered and the connection freed",
    code: `
      import nock from 'nock';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('reads the status', async () => {
        nock('http://api.test').get('/').reply(200);
        const res = await fetch('http://localhost:3000/');
        if (res.status !== 200) throw new Error('bad');
      });`,
  },
  {
    name: "a test's fetch let through a nock scope (allowUnmocked), status only: buffered like any small test body",
    code: `
      import nock from 'nock';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('passes through', async () => {
        nock('http://localhost:3000', { allowUnmocked: true }).get('/mocked').reply(200);
        const res = await fetch('http://localhost:3000/live');
        if (res.status !== 200) throw new Error('bad');
      });`,
  },
  {
    name: "a test against a server that reads only the status: undici takes the small body in whole and frees the connection",
    code: `
      import { test } from 'node:test';
      import assert from 'node:assert';
      test('health', async () => {
        const res = await fetch('http://localhost:3000/health');
        assert.strictEqual(res.status, 200);
      });`,
  },
  {
    name: "a service worker's fetch handler (self, caches) with process.env the bundler replaces",
    code: `
      const CACHE = 'v1-' + process.env.BUILD_ID;
      self.addEventListener('fetch', (event) => {
        event.respondWith((async () => {
          const res = await fetch(event.request);
          if (!res.ok) return caches.match(event.request);
          return res;
        })());
      });`,
    ext: '.js',
    file: 'src/service-worker.js',
  },
  {
    name: 'a test request whose options variable says agent: false, response left unread',
    code: `
      var http = require('http');
      it('parses the form', function (done) {
        var opts = { hostname: '127.0.0.1', port: 8080, path: '/form', agent: false, method: 'POST' };
        var client = http.request(opts, function (res) {
          if (res.statusCode !== 200) return done(new Error('bad status'));
          done();
        });
        client.end('a=1');
      });`,
    ext: '.js',
    file: 'test/form-vars.test.js',
  },
  {
    name: 'a test request with agent: false whose small response is left unread: no pool, and the server closes the socket',
    code: `
      const http = require('http');
      it('accepts the form', (done) => {
        const req = http.request({ port: 8080, path: '/form', method: 'POST', agent: false }, (res) => {
          if (res.statusCode !== 200) return done(new Error('status ' + res.statusCode));
          done();
        });
        req.end('a=1');
      });`,
    ext: '.js',
    file: 'test/form.test.js',
  },
  {
    name: 'a fetch response whose body is null returns early: there is nothing to read',
    code: `
      export async function firstLine(url: string): Promise<string> {
        const res = await fetch(url);
        if (!res.body) return '';
        const reader = res.body.getReader();
        try {
          const { value } = await reader.read();
          return new TextDecoder().decode(value).split('\\n')[0];
        } finally {
          await reader.cancel();
        }
      }`,
  },
  {
    name: "a node-fetch response a test does not read: node-fetch buffers the test server's few bytes and the socket goes back to the agent",
    code: `
      const fetch = require('node-fetch');
      it('answers 200', async () => {
        const res = await fetch('http://localhost:3000/');
        if (res.status !== 200) throw new Error('status ' + res.status);
      });`,
    ext: '.js',
    file: 'test/status.test.js',
  },
  {
    name: "a test that awaits the request's error: when it passes, no response came",
    code: `
      const http = require('http');
      it('fails to connect', async () => {
        const err = await new Promise((resolve) => {
          const req = http.get({ host: 'localhost', port: 1 }, (res) => {});
          req.once('error', resolve);
        });
        if (!err) throw new Error('expected an error');
      });`,
    ext: '.js',
    file: 'test/refused.test.js',
  },
  {
    name: "a proxy's response listener reads the body unless res.upgrade, which never holds there (Node emits an upgrade as 'upgrade')",
    code: `
      const http = require('http');
      function proxyWs(socket, options) {
        const proxyReq = http.request(options);
        proxyReq.on('response', (res) => {
          if (!res.upgrade) {
            socket.write('HTTP/1.1 ' + res.statusCode + '\\r\\n\\r\\n');
            res.pipe(socket);
          }
        });
        proxyReq.on('upgrade', (res, proxySocket) => { proxySocket.pipe(socket).pipe(proxySocket); });
        proxyReq.end();
      }
      module.exports = { proxyWs };`,
    ext: '.js',
  },
  {
    name: 'a request answered by a nock scope of the same test',
    code: `
      import nock from 'nock';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('reads the status', async () => {
        nock('http://api.test').get('/').reply(204);
        const res = await fetch('http://api.test/');
        if (res.status !== 204) throw new Error('bad');
      });`,
    ext: '.ts',
  },
  {
    name: 'an http.get answered by a nock scope set up in beforeEach for the same origin variable',
    code: `
      const http = require('http');
      const nock = require('nock');
      const origin = 'http://example.test';
      describe('client', () => {
        beforeEach(() => { nock(origin).get('/').reply(200, 'hi'); });
        it('gets', (done) => {
          http.get(origin + '/', (res) => { done(); });
        });
      });`,
    ext: '.js',
  },
  {
    name: 'an http.get while a Mitm() of the test intercepts every connection',
    code: `
      const http = require('http');
      const Mitm = require('mitm');
      describe('client', () => {
        let mitm;
        beforeEach(() => { mitm = Mitm(); mitm.on('request', (req, res) => res.end('hi')); });
        afterEach(() => mitm.disable());
        it('gets', (done) => {
          http.get('http://example.test/', (res) => { done(); });
        });
      });`,
    ext: '.js',
  },
  {
    name: 'WebAssembly.instantiateStreaming reads the response',
    code: `
      export async function load(url: string, imports: object) {
        const res = await fetch(url);
        return WebAssembly.instantiateStreaming(res, imports as never);
      }`,
  },
  {
    name: 'a helper that reads the body before it throws, then the response is returned',
    code: `
      async function check(r: Response) {
        if (!r.ok) throw new Error(await r.text());
      }
      export async function poll(url: string) {
        try {
          const r = await fetch(url);
          await check(r);
          return r;
        } catch {
          return undefined;
        }
      }`,
  },
  {
    name: 'a response captured by the listener a helper returns',
    code: `
      const http = require('http');
      function logEvents(emitter, name) {
        return function (event) { emitter.on(event, () => console.log(name, event)); };
      }
      http.get('http://localhost:8080/', function (res) {
        ['data', 'end'].forEach(logEvents(res, 'res'));
      });`,
    ext: '.js',
  },
  {
    name: 'a fetch a test expects to reject: the response exists only if the test fails',
    code: `
      import { test } from 'node:test';
      import assert from 'node:assert';
      test('times out', async () => {
        try {
          await fetch('http://localhost:3000/timeout');
          assert.fail('should have rejected');
        } catch (e) {
          assert.ok(e);
        }
      });`,
  },
  {
    name: 'a status asserted to be 204: past the assertion there is no body',
    code: `
      import { test } from 'node:test';
      import assert from 'node:assert';
      test('copy', async () => {
        const result = await fetch('http://localhost:3000/a.txt', { method: 'COPY' });
        assert.ok(result.ok);
        assert.strictEqual(result.status, 204);
      });`,
  },
  {
    name: 'returning early on 304 Not Modified, reading the body otherwise',
    code: `
      export async function revalidate(url: string, etag: string) {
        const res = await fetch(url, { headers: { 'if-none-match': etag } });
        if (res.status === 304) return null;
        return res.json();
      }`,
  },
  {
    name: 'a HEAD request whose method is a variable guarded by the branch',
    code: `
      export async function check(url: string, method: string) {
        if (method === 'HEAD') {
          const res = await fetch(url, { method });
          return res.ok;
        }
        return false;
      }`,
  },
  {
    name: "a HEAD fetch whose options are cast (`{ method: 'HEAD', dispatcher } as RequestInit`): no body either",
    code: `
      import type { Dispatcher } from 'undici';
      export async function exists(url: string, dispatcher: Dispatcher): Promise<boolean> {
        const res = await fetch(url, { method: 'HEAD', dispatcher } as RequestInit);
        return res.status === 200;
      }`,
  },
  {
    name: 'the request is destroyed by a timer: its response goes with it',
    code: `
      import * as http from 'http';
      export function abortSoon(port: number) {
        const req = http.request({ port, method: 'POST' }, (res) => { console.log(res.statusCode); });
        req.write('partial');
        setTimeout(() => req.destroy(), 50);
      }`,
  },
  {
    name: 'a destructuring assignment whose body is read or dumped on every path',
    code: healthCheck(`
        if (statusCode !== 200) {
          await body.dump();
          return false;
        }`),
    ext: '.js',
  },
  {
    name: "a script's helper that throws on a bad status, awaited by the async IIFE whose rejection exits (exit from node:process)",
    code: `
      import { exit } from 'node:process';
      async function loadText(url: string): Promise<string> {
        const response = await fetch(url);
        if (!response.ok) throw new Error('failed: ' + response.status);
        return response.text();
      }
      (async function main() {
        console.log((await loadText('https://example.com/spec.md')).length);
      })().catch((err) => {
        console.error(err);
        exit(1);
      });`,
    file: 'scripts/spec-report.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same helper's unread error body, when its caller's catch logs and goes on",
    code: releaseLookup('          return undefined;'),
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    // The catch's first branch runs only once the fetch's own signal has fired, which errors the body:
    // the paths to report are the retry and the last throw, not that return.
    name: "a retry loop's response left unread on the retry, with a return taken only once the fetch's signal has fired",
    code: `
      export async function postUntilAccepted(url: string, control: AbortController) {
        for (let tries = 0; ; tries++) {
          try {
            const res = await fetch(url, { method: 'POST', signal: control.signal });
            if (res.status !== 202) throw new Error('status ' + res.status);
            return await res.json();
          } catch (err) {
            if (control.signal.aborted) return undefined;
            if (tries >= 5) throw err;
          }
        }
      }`,
    errors: [{ line: 4, message: /not consumed or cancelled before the next loop iteration \(line 11\), and on 1 other path\./ }],
  },
  {
    name: 'a HEAD request through an options constant, its response never read: the message says why without a body',
    code: `
      import https from 'https';
      export async function headersOf(url: URL) {
        const headOptions = { hostname: url.hostname, path: url.pathname, method: 'HEAD' };
        return new Promise((resolve, reject) => https.get(headOptions, (res) => resolve(res.headers)).on('error', reject));
      }`,
    errors: [{ line: 4, message: /A HEAD response has no body, but its socket goes back to the agent only once the response is read/ }],
  },
  {
    name: 'the same request with agent: false outside tests: a body larger than the buffer holds the socket',
    code: `
      const http = require('http');
      function submit(body, cb) {
        const req = http.request({ host: 'forms.internal', path: '/form', method: 'POST', agent: false }, (res) => {
          if (res.statusCode !== 200) return cb(new Error('status ' + res.statusCode));
          res.resume();
          cb(null);
        });
        req.end(body);
      }
      module.exports = { submit };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'a fetch response with a body left unread when it is not ok (the null-body guard is no release)',
    code: `
      export async function firstLine(url: string): Promise<string> {
        const res = await fetch(url);
        if (!res.body) return '';
        if (!res.ok) return '';
        return (await res.text()).split('\\n')[0];
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: 'a node-fetch response dropped on a non-2xx in production code: a large body pauses the socket',
    code: `
      import fetch from 'node-fetch';
      export async function getUser(id: string) {
        const res = await fetch('https://users.internal/users/' + id);
        if (!res.ok) return null;
        return res.json();
      }`,
    errors: [{ line: 3, message: /A body larger than the stream node-fetch buffers it in pauses the socket/ }],
  },
  {
    name: 'a CommonJS module that tests for window and requires a package: a library Node may load',
    code: `
      const fetchImpl = typeof window !== 'undefined' && window.fetch ? window.fetch.bind(window) : require('node-fetch');
      module.exports.status = async function status(url) {
        const res = await fetchImpl(url);
        return res.status;
      };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'a helper that reads only when it throws leaves the success path unread',
    code: `
      async function check(r: Response) {
        if (!r.ok) throw new Error(await r.text());
      }
      export async function ping(url: string) {
        const r = await fetch(url);
        await check(r);
        return r.status;
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'an early return on 200 leaves a body unread',
    code: `
      export async function probe(url: string) {
        const res = await fetch(url);
        if (res.status === 200) return true;
        return res.text();
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: 'an assertion on 200 says nothing about the body',
    code: `
      import assert from 'node:assert';
      export async function ping(url: string) {
        const res = await fetch(url);
        assert.strictEqual(res.status, 200);
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a destructuring assignment into variables declared before a try: the body left unread on a non-200 status',
    code: healthCheck(`
        if (statusCode !== 200) return false;`),
    ext: '.js',
    errors: [{ line: 6, message: /when the `return` on line 10 is taken/ }],
  },
  {
    name: "a response over a Unix-domain socket (`socketPath`) left unread on a non-200: its message names the socket and its descriptor, not CLOSE_WAIT",
    code: `
      import http from 'node:http';
      export function addSession(socketPath: string, entry: object): Promise<void> {
        return new Promise((resolve, reject) => {
          const req = http.request({ socketPath, path: '/add-session', method: 'POST' }, (res) => {
            if (res.statusCode !== 200) return reject(new Error('status ' + res.statusCode));
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end(JSON.stringify(entry));
        });
      }`,
    errors: [{ line: 4, message: /Unix-domain socket and its file descriptor stay open/ }],
  },
];
