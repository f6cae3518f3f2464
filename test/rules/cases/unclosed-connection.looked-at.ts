// unclosed-connection: uses that only look at a connection, and hand nothing on: readline reading a socket
// as its `input` (`rl.close()` only pauses it) in a promise's executor and in a test hook, a log of it; and a
// close in `finally` behind NATS's `nc.isClosed()`, a method that says what the `closed` flag would.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A line-protocol command whose socket readline reads; `onTimeout` is its 'timeout' listener's body. */
const sendCommand = (onTimeout: string) => `
      const net = require('net');
      const readline = require('readline');
      function sendCommand(host, port, line) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port });
          socket.setTimeout(5000);
          const rl = readline.createInterface({ input: socket, crlfDelay: Infinity });
          socket.once('connect', () => socket.write(line + '\\r\\n'));
          socket.once('timeout', () => {
            ${onTimeout}
            reject(new Error('timed out'));
          });
          socket.once('error', reject);
          rl.once('line', (reply) => {
            socket.end();
            resolve(reply);
          });
        });
      }
      module.exports = { sendCommand };`;

/** A mocha suite whose beforeEach connects a client that readline reads; `more` follows the hook. */
const lineSuite = (more: string) => `
      const net = require('net');
      const readline = require('readline');
      const { once } = require('events');
      describe('ack server', function () {
        let client;
        let lines;
        beforeEach(async function () {
          client = net.connect(7070, '127.0.0.1');
          await once(client, 'connect');
          lines = readline.createInterface({ input: client, crlfDelay: Infinity });
        });
${more}
        it('acknowledges a story', async function () {
          client.write('STORY|a1\\r\\n');
          const [line] = await once(lines, 'line');
          if (line !== 'ACK|a1') throw new Error(line);
        });
      });`;

/** A JetStream audit consumer that drains its connection in `finally` when `test` holds. */
const auditConsumer = (test: string) => `
      import { connect } from 'nats';
      export async function runAuditConsumer(servers, signal) {
        const nc = await connect({ servers, maxReconnectAttempts: -1 });
        try {
          const consumer = await nc.jetstream().consumers.get('GATES', 'audit');
          const messages = await consumer.consume({ max_messages: 100 });
          signal.addEventListener('abort', () => messages.stop(), { once: true });
          for await (const m of messages) m.ack();
        } finally {
          if (${test}) await nc.drain();
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a command's socket that readline reads, destroyed by its 'timeout' listener before the promise rejects",
    ext: '.js',
    code: sendCommand('rl.close();\n            socket.destroy();'),
  },
  {
    name: 'a test client that readline reads, destroyed after each test',
    ext: '.js',
    file: 'test/ack.test.js',
    code: lineSuite("        afterEach(function () {\n          client.destroy();\n        });"),
  },
  {
    name: "a NATS connection drained in finally unless `nc.isClosed()` says it is closed already",
    ext: '.js',
    code: auditConsumer('!nc.isClosed()'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same command when the 'timeout' listener only closes the readline interface, which never closes its input",
    ext: '.js',
    code: sendCommand('rl.close();'),
    errors: [{ line: 5, message: /^Socket from `net.connect` is not closed once the promise is settled on line 11/ }],
  },
  {
    name: "the same command when the 'timeout' listener only logs the socket",
    ext: '.js',
    code: sendCommand("console.warn('no reply on', socket);"),
    errors: [{ line: 5, message: /not closed once the promise is settled on line 11/ }],
  },
  {
    name: 'the same test client with no afterEach: every test leaves one open',
    ext: '.js',
    file: 'test/ack.test.js',
    code: lineSuite(''),
    errors: [{ line: 8, messageId: 'suiteNeverCloses' }],
  },
  {
    name: 'the same consumer when the drain is skipped unless it is closed (the test turned round)',
    ext: '.js',
    code: auditConsumer('nc.isClosed()'),
    errors: [{ line: 3 }],
  },
];
