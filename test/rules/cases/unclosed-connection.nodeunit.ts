// unclosed-connection: nodeunit tests (`module.exports['name'] = (test) => { …; test.done() }`, also the
// methods of exported groups), read as tests like mocha's: a client whose opening is expected to fail
// (`.catch()` the only way the test ends, `test.ok(false, 'should have thrown')` right after it) never
// opened in a passing run, and a `catch` that fails the test is no path of a passing run.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A mail client of the project that opens its socket in connect() and closes it in close(). */
const CLIENT = `
      const net = require('net');
      class MailClient {
        constructor(opts) { this.opts = opts; this.socket = null; this.used = false; }
        async connect() {
          if (this.used) throw new Error('single use');
          this.used = true;
          this.socket = net.connect(this.opts.port, this.opts.host);
          await new Promise((resolve, reject) => { this.socket.once('connect', resolve); this.socket.once('error', reject); });
        }
        async select(box) { this.box = box; }
        close() { if (this.socket) this.socket.destroy(); }
      }
      module.exports = { MailClient };`;

const files = { 'test/mail-client.js': CLIENT };

export const valid: ValidCase[] = [
  {
    name: 'a nodeunit test whose connect() must reject: the test ends only in its catch()',
    code: `
      const { MailClient } = require('./mail-client');
      module.exports['refuses a second connect'] = (test) => {
        const c = new MailClient({ host: 'mail.test', port: 143 });
        c.used = true;
        c.connect().catch((err) => {
          test.ok(err);
          test.done();
        });
      };`,
    ext: '.js',
    file: 'test/reuse.test.js',
    files,
  },
  {
    name: "a nodeunit test asserting failure right after an awaited connect(): in a passing run it rejected",
    code: `
      const { MailClient } = require('./mail-client');
      module.exports['connect throws if called twice'] = async (test) => {
        const c = new MailClient({ host: 'mail.test', port: 143 });
        c.used = true;
        try {
          await c.connect();
          test.ok(false, 'Should have thrown');
        } catch (err) {
          test.ok(err.message.includes('single use'));
        }
        test.done();
      };`,
    ext: '.js',
    file: 'test/twice.test.js',
    files,
  },
  {
    name: "a nodeunit group's method test whose catch fails the test: its close() runs on every passing path",
    code: `
      const { MailClient } = require('./mail-client');
      module.exports = {
        mailboxes: {
          async 'selects INBOX'(test) {
            const c = new MailClient({ host: '127.0.0.1', port: 1143 });
            try {
              await c.connect();
              await c.select('INBOX');
              c.close();
            } catch (err) {
              test.ok(false, 'should not throw: ' + err.message);
            } finally {
              test.done();
            }
          },
        },
      };`,
    ext: '.js',
    file: 'test/select.test.js',
    files,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a nodeunit test that connects and never closes',
    code: `
      const { MailClient } = require('./mail-client');
      module.exports['selects INBOX'] = async (test) => {
        const c = new MailClient({ host: '127.0.0.1', port: 1143 });
        await c.connect();
        await c.select('INBOX');
        test.done();
      };`,
    ext: '.js',
    file: 'test/leak.test.js',
    files,
    errors: [{ line: 3, message: /^Connection-owning object from `new MailClient\(\)` is never closed/ }],
  },
];
