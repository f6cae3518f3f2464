// unclosed-connection: where the code is entered decides what a path leaves open. An 'upgrade' listener
// given to a server parameter owns the sockets it refuses; a command's action that a wrapper of its file
// runs and then exits, either way, leaves nothing open (unreleased-pool-connection.modules.ts has a function of
// the application that only its tests call), and so does a script's `return fail(err)` to a function of its file that
// ends the process.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A gateway attached to a server its caller passes in; `refuse` answers a bad token. */
const gateway = (refuse: string) => `
      const { WebSocketServer } = require('ws');
      function attachGateway(server, tokens) {
        const wss = new WebSocketServer({ noServer: true });
        server.on('upgrade', (req, socket, head) => {
          if (!tokens.has(new URL(req.url, 'http://localhost').searchParams.get('token'))) {
            ${refuse}
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
        return wss;
      }
      module.exports = { attachGateway };`;

/** A commander CLI whose actions `run()` wraps; `after` follows the action in the wrapper's try, `onError` is its catch. */
const cli = (after: string, onError: string) => `
      const tls = require('node:tls');
      const { Command } = require('commander');
      const program = new Command();
      function run(action) {
        return async (...args) => {
          try {
            const ok = await action(...args);
            ${after}
          } catch (err) {
            console.error(err.message);
            ${onError}
          }
        };
      }
      program.command('alpn <host>').action(run(async (host) => {
        const socket = tls.connect({ host, port: 443, servername: host, ALPNProtocols: ['h2', 'http/1.1'] });
        await new Promise((resolve, reject) => {
          socket.once('secureConnect', resolve);
          socket.once('error', reject);
        });
        console.log(socket.alpnProtocol);
        return true;
      }));
      program.parseAsync(process.argv);`;

/** A backfill script's SSH download; `onError` is what the sftp callback does with its error. */
const BACKFILL = (onError: string) => `
      const fs = require('node:fs');
      const { Client } = require('ssh2');
      const [host, day] = process.argv.slice(2);
      function fail(err) {
        console.error(\`backfill from \${host} failed: \${err.message}\`);
        process.exit(1);
      }
      const conn = new Client();
      conn.on('ready', () => {
        conn.sftp((err, sftp) => {
          if (err) return ${onError};
          sftp.fastGet(\`/var/log/heatmeter/\${day}.csv\`, \`backfill-\${day}.csv\`, (getErr) => {
            if (getErr) return fail(getErr);
            conn.end();
          });
        });
      });
      conn.on('error', fail);
      conn.connect({ host, username: 'heatnet', privateKey: fs.readFileSync(process.env.GATEWAY_KEY) });`;

export const invalid: InvalidCase[] = [
  {
    name: "an 'upgrade' listener on a server parameter that answers a bad token with a 401 and returns, the socket still open",
    code: gateway(`socket.write('HTTP/1.1 401 Unauthorized\\r\\nConnection: close\\r\\n\\r\\n');`),
    ext: '.js',
    errors: [{ line: 4, message: /server\.on\('upgrade'\)/ }],
  },
  {
    name: "a command's action whose wrapper only sets the exit code: the socket it leaves open keeps the command from exiting",
    code: cli('process.exitCode = ok ? 0 : 2;', 'process.exitCode = 1;'),
    ext: '.js',
    errors: [{ line: 16 }],
  },
  {
    name: 'the same script returning a log of the error instead: the session stays open and the script never exits',
    ext: '.js',
    file: 'scripts/backfill.js',
    code: BACKFILL('console.error(err.message)'),
    errors: [{ line: 8, message: /^SSH connection from `ssh2.Client` is not closed when the `return` on line 11 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same 'upgrade' listener destroying the socket it refuses",
    code: gateway('socket.destroy();'),
    ext: '.js',
  },
  {
    name: "a command's action run by a wrapper of its file that exits either way: what the action leaves open dies with the process",
    code: cli('process.exit(ok ? 0 : 2);', 'process.exit(1);'),
    ext: '.js',
  },
  {
    name: "a script's SSH session whose error paths return fail(err), a function of the file that ends the process",
    ext: '.js',
    file: 'scripts/backfill.js',
    code: BACKFILL('fail(err)'),
  },
];
