// unclosed-connection: a test's socket that the test passes only once it is closed: it asserts a closed flag
// (`assert.ok(sock.destroyed)`, `expect(sock.destroyed).toBe(true)`), or that a call given the socket rejects because
// the peer closed it (`await assert.rejects(sendCommand(sock, 'QUIT'), /closed the session/)`). On the passing path it
// is closed; on the failing one, the test has failed.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A node:test file over a line server that ends the session on QUIT; `check` is what the test asserts at the end. */
const QUIT_TEST = (check: string) => ({
  code: `
      import test from 'node:test';
      import assert from 'node:assert/strict';
      import net from 'node:net';
      import { once } from 'node:events';
      import { sendCommand } from '../src/session.js';
      const server = net.createServer((s) => s.on('data', (d) => (String(d).startsWith('QUIT') ? s.end() : s.write('OK\\r\\n'))));
      test.before(() => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
      test.after(() => server.close());
      test('the server ends the session on QUIT', async () => {
        const sock = net.connect(server.address().port, '127.0.0.1');
        await once(sock, 'connect');
${check}
      });`,
  ext: '.js' as const,
  file: 'test/session.test.js',
  files: {
    'src/session.js': "export function sendCommand(sock, line) {\n  return new Promise((resolve, reject) => {\n    sock.once('data', (d) => resolve(String(d).trim()));\n    sock.once('close', () => reject(new Error('server closed the session')));\n    sock.write(line + '\\r\\n');\n  });\n}\n",
  },
});

export const valid: ValidCase[] = [
  {
    name: 'a test that passes only when the call it gives the socket rejects because the server closed it',
    ...QUIT_TEST("        await assert.rejects(sendCommand(sock, 'QUIT'), /closed the session/);"),
  },
  {
    name: 'a test that asserts the socket is destroyed once the server has ended the session',
    ...QUIT_TEST("        await sendCommand(sock, 'QUIT').catch(() => undefined);\n        assert.ok(sock.destroyed);"),
  },
  {
    name: 'the same check written as expect(…).toBe(true)',
    ...QUIT_TEST("        await sendCommand(sock, 'QUIT').catch(() => undefined);\n        expect(sock.destroyed).toBe(true);"),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same test asserting only the answer to a command that keeps the session',
    ...QUIT_TEST("        assert.equal(await sendCommand(sock, 'PING'), 'OK');"),
    errors: [{ line: 10, message: /^Socket from `net.connect` is never closed/ }],
  },
  {
    name: 'a rejection that does not say the connection closed (a timeout) leaves the socket as it was',
    ...QUIT_TEST("        await assert.rejects(sendCommand(sock, 'HANG'), /timed out/);"),
    errors: [{ line: 10, message: /^Socket from `net.connect` is never closed/ }],
  },
];
