// unclosed-connection: where the code is entered decides what a path leaves open. An 'upgrade' listener
// given to a server parameter owns the sockets it refuses; a command's action that a wrapper of its file
// runs and then exits, either way, leaves nothing open (unreleased-pool-connection.modules.ts has a function of
// the application that only its tests call).
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
];
