// unclosed-connection: tests that never run (type tests, skipped suites and tests, a test that skips
// itself), which open nothing, beside a skip() of something other than the test.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'a TSTyche type test (*.tst.ts) is compiled, never run',
    code: `
      import { createServer } from 'http';
      it('types', (done) => {
        const srv = createServer();
        srv.listen(() => done());
      });`,
    file: 'test-types/server.tst.ts',
  },
  {
    name: 'a type test (tsd, *.test-d.ts) is compiled, never run: its server opens nothing',
    code: `
      import { createServer } from 'http';
      declare function expectType<T>(v: T): void;
      it('infers the listener types', (done) => {
        const srv = createServer();
        srv.listen(() => {
          expectType<number>(1);
          done();
        });
      });`,
    file: 'test/server.test-d.ts',
  },
  {
    name: "a node:test test that skips itself before closing: a skipped test's path is no passing run",
    code: `
      const test = require('node:test');
      const net = require('net');
      test('drains on timeout', async (t) => {
        const c = net.connect(1883);
        await new Promise((r) => c.once('connect', r));
        c.pause();
        if (!c._handle || !c._handle.readStop) {
          t.skip('no readStop');
          return;
        }
        c._handle.readStop();
        c.end();
      });`,
    ext: '.js',
    file: 'test/drain.test.js',
  },
  {
    name: 'a suite registered with describe.skip() never runs: nothing it would open is left open',
    code: `
      const http = require('http');
      describe.skip('tracing', function () {
        it('traces a request', function (done) {
          const server = http.createServer((req, res) => res.end('{}'));
          server.listen(5934, () => done());
        });
      });`,
    ext: '.js',
    file: 'test/tracing.spec.js',
  },
  {
    name: 'node:test tests marked { skip: true } and xit() never run',
    code: `
      import { test } from 'node:test';
      import * as net from 'net';
      test('probe', { skip: true }, async () => {
        const s = net.connect(9, 'localhost');
        await new Promise((r) => s.once('connect', r));
      });
      declare const xit: (name: string, fn: () => void) => void;
      xit('legacy', () => { net.connect(9, 'localhost'); });`,
    file: 'test/probe.test.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a skip() of something else (a MongoDB cursor) does not end a test's path",
    code: `
      const test = require('node:test');
      const net = require('net');
      test('pages', async (t) => {
        const c = net.connect(27017);
        const cursor = { skip: (n) => n };
        if (cursor.skip(10) > 5) return;
        c.end();
      });`,
    ext: '.js',
    file: 'test/pages.test.js',
    errors: [{ line: 4 }],
  },
];
