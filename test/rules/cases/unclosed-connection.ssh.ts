// unclosed-connection: ssh2 `Client` connections (open from `connect(cfg)`, closed by `end()` or
// `destroy()`, ended by ssh2 itself after an 'error'), left open on a path, beside the same closed; also on a path of
// the callback of an operation of the SFTP session the connection hands its `sftp()` callback; one kept in a local object
// (`const entry = { conn }`) that the promise resolves with is handed on with it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** `connectSsh(target)` resolving once the handshake is done; `onTimeout` is the give-up timer's body. */
function connectHelper(onTimeout: string): string {
  return `
      import { Client } from 'ssh2';
      export function connectSsh(host: string, username: string, privateKey: string, timeoutMs = 10_000): Promise<Client> {
        return new Promise((resolve, reject) => {
          const conn = new Client();
          const timer = setTimeout(() => {${onTimeout}
            reject(new Error('no handshake within ' + timeoutMs + ' ms'));
          }, timeoutMs);
          conn
            .once('ready', () => {
              clearTimeout(timer);
              resolve(conn);
            })
            .on('error', (err) => {
              clearTimeout(timer);
              reject(err);
            })
            .connect({ host, username, privateKey, keepaliveInterval: 15_000, readyTimeout: 30_000 });
        });
      }`;
}

/** A one-command SSH runner: its 'ready' listener (registered `before` or chained on `connect()`) runs the command; `onExecError` is its error branch. */
function runCommand(onExecError: string, chained = false): string {
  const ready = `('ready', () => {
          conn.exec(command, (err, stream) => {
            if (err) {
              console.error('exec failed: ' + err.message);${onExecError}
              return;
            }
            stream.on('close', (code: number) => {
              process.exitCode = code ?? 0;
              conn.end();
            });
            stream.pipe(process.stdout);
          });
        })`;
  return `
      import { Client } from 'ssh2';
      export function runRemote(host: string, username: string, command: string): void {
        const conn = new Client();
${chained ? `        conn.on${ready}.connect({ host, username });` : `        conn.on${ready};
        conn.on('error', (err) => console.error(err.message));
        conn.connect({ host, username });`}
      }`;
}

/** An SSH command run over a fresh connection; `onClose` is the body of its exec stream's 'close' listener. */
function execRunner(onClose: string): string {
  return `
      import { Client } from 'ssh2';
      export function runCommand(host: string, command: string): Promise<string> {
        return new Promise((resolve, reject) => {
          const conn = new Client();
          conn.on('error', reject);
          conn.on('ready', () => {
            conn.exec(command, (err, stream) => {
              if (err) {
                conn.end();
                return reject(err);
              }
              let out = '';
              stream.on('data', (d: Buffer) => (out += d));
              stream.on('close', (code: number) => {${onClose}
              });
            });
          });
          conn.connect({ host, username: 'deploy' });
        });
      }`;
}

/** An SFTP session helper whose 'ready' listener, registered before `connect()`, opens the subsystem; `onError` handles its failure. */
function sftpSession(onError: string): string {
  return `
      import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
      export function openSftp(endpoint: ConnectConfig): Promise<{ conn: Client; sftp: SFTPWrapper }> {
        return new Promise((resolve, reject) => {
          const conn = new Client();
          conn.on('ready', () => {
            conn.sftp((err, sftp) => {
              if (err) {
                ${onError}
                reject(err);
                return;
              }
              resolve({ conn, sftp });
            });
          });
          conn.on('error', reject);
          conn.connect({ readyTimeout: 20_000, ...endpoint });
        });
      }`;
}

/** A log pull over SFTP that truncates the log through a second SSH client; `part` is what its finally adds after `sftp.end()`. */
const PULL_LOGS = (part: string) => `
      const SftpClient = require('ssh2-sftp-client');
      const { Client } = require('ssh2');
      function exec(conn, command) {
        return new Promise((resolve, reject) => {
          conn.exec(command, (err, stream) => {
            if (err) return reject(err);
            stream.on('close', (code) => (code === 0 ? resolve() : reject(new Error(command))));
            stream.resume();
          });
        });
      }
      async function pullLogs(host, dest) {
        const auth = { host, username: 'pi', privateKey: process.env.KEY };
        const sftp = new SftpClient();
        const ssh = new Client();
        try {
          await sftp.connect(auth);
          await sftp.fastGet('/var/log/hubd.log', dest);
          await new Promise((resolve, reject) => {
            ssh.once('ready', resolve).once('error', reject).connect(auth);
          });
          await exec(ssh, 'truncate -s 0 /var/log/hubd.log');
          return dest;
        } finally {
          await sftp.end();${part}
        }
      }
      module.exports = { pullLogs };`;

/** A listing over SFTP: the session's `readdir` callback settles the promise; `empty` is what it does with no new files. */
const PULL_LISTING = (empty: string) => `
      const { Client } = require('ssh2');
      function pullNames(dir, after) {
        return new Promise((resolve, reject) => {
          const conn = new Client();
          conn.on('error', reject);
          conn.on('ready', () => {
            conn.sftp((err, sftp) => {
              if (err) { conn.end(); reject(err); return; }
              sftp.readdir(dir, (listErr, list) => {
                if (listErr) { conn.end(); reject(listErr); return; }
                const names = list.map((e) => e.filename).filter((n) => n > after);
                if (names.length === 0) {${empty}
                  resolve([]);
                  return;
                }
                conn.end();
                resolve(names);
              });
            });
          });
          conn.connect({ host: process.env.SFTP_HOST, username: 'cdr' });
        });
      }
      module.exports = { pullNames };`;

export const valid: ValidCase[] = [
  {
    name: 'an SFTP listing whose readdir callback ends the connection on every path',
    ext: '.js',
    code: PULL_LISTING(`
                  conn.end();`),
  },
  {
    name: "the same SSH client connected through the chain of once() listeners, ended in the finally with the SFTP client",
    ext: '.js',
    code: PULL_LOGS(`
          ssh.end();`),
  },
  {
    name: "an SFTP session helper that ends the connection when the subsystem is refused, its 'ready' listener registered before connect()",
    code: sftpSession('conn.end();'),
  },
  {
    name: "the same SSH command ending the connection before it settles, whatever the exit code",
    code: execRunner(`
                conn.end();
                if (code !== 0) return reject(new Error(command + ' exited with ' + code));
                resolve(out);`),
  },
  {
    name: "an SSH connection helper whose give-up timer ends the connection before it rejects",
    code: connectHelper(`
            conn.end();`),
  },
  {
    name: 'an SSH command run on a connection ended in finally',
    code: `
      import { Client } from 'ssh2';
      export async function uptime(host: string, username: string, password: string): Promise<string> {
        const conn = new Client();
        await new Promise<void>((resolve, reject) => conn.once('ready', () => resolve()).once('error', reject).connect({ host, username, password }));
        try {
          return await new Promise<string>((resolve, reject) => {
            conn.exec('uptime', (err, stream) => {
              if (err) return reject(err);
              let out = '';
              stream.on('data', (d: Buffer) => { out += d; }).on('close', () => resolve(out));
            });
          });
        } finally {
          conn.end();
        }
      }`,
  },
  {
    name: "a one-command SSH runner whose 'ready' listener, registered before connect(), ends the connection when exec fails",
    code: runCommand(`
              conn.end();`),
  },
  {
    name: "a Socket.IO client's 'connect' listener that disconnects on one path only: the client reconnects, its 'connect' is no one-time continuation",
    code: `
      import { io } from 'socket.io-client';
      export function watch(url: string, room: string, token: () => string | undefined, onEvent: (e: unknown) => void): void {
        const socket = io(url);
        socket.on('connect', () => {
          if (!token()) {
            socket.disconnect();
            return;
          }
          socket.emit('join', room);
        });
        socket.on('event', onEvent);
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same listing resolving without ending the connection when no file is new: the SFTP session's readdir callback runs once, as the connection's work",
    ext: '.js',
    code: PULL_LISTING(''),
    errors: [{ line: 4, message: /not closed when the `return` on line 14 is taken/ }],
  },
  {
    name: "an SSH client connected in an awaited promise through a chain of once() listeners ('ready' then 'error'), used by a helper and never ended: the finally ends only the SFTP client",
    ext: '.js',
    code: PULL_LOGS(''),
    errors: [{ line: 15, message: /^SSH connection from `ssh2.Client` is never closed; it stays open when the `return` on line 23 is taken/ }],
  },
  {
    name: "the same helper when the refused subsystem only rejects: the authenticated connection stays open (handing it to resolve() in that listener is no hand-off before connect())",
    code: sftpSession(''),
    errors: [{ line: 4, message: /^SSH connection from `ssh2\.Client` is not closed when the `return` on line 10 is taken/ }],
  },
  {
    name: "an SSH command whose exec stream's 'close' listener rejects on a non-zero exit before end(): the connection stays open",
    code: execRunner(`
                if (code !== 0) return reject(new Error(command + ' exited with ' + code));
                conn.end();
                resolve(out);`),
    errors: [{ line: 4, message: /`return` on line 15/ }],
  },
  {
    name: "a one-command SSH runner whose 'ready' listener, registered before connect(), returns without end() when exec fails",
    code: runCommand(''),
    errors: [{ line: 3, message: /`return` on line 8/ }],
  },
  {
    name: "the same SSH runner with the 'ready' listener chained on connect()",
    code: runCommand('', true),
    errors: [{ line: 3, message: /`return` on line 8/ }],
  },
  {
    name: "an SSH connection helper whose give-up timer rejects while the handshake may still complete: nothing ends that connection",
    code: connectHelper(''),
    errors: [{ line: 4 }],
  },
  {
    name: 'an SSH connection per host left open when the preflight check skips the host',
    code: `
      import { Client } from 'ssh2';
      declare function freeDiskMb(conn: Client): Promise<number>;
      function connect(host: string): Promise<Client> {
        return new Promise((resolve, reject) => {
          const c = new Client();
          c.once('ready', () => resolve(c)).once('error', reject).connect({ host });
        });
      }
      export async function preflight(hosts: string[]): Promise<string[]> {
        const ready: string[] = [];
        for (const host of hosts) {
          const conn = await connect(host);
          if ((await freeDiskMb(conn)) < 512) continue;
          ready.push(host);
          conn.end();
        }
        return ready;
      }`,
    errors: [{ line: 12 }],
  },
];

/** A pool factory's `create`: an SSH connection kept in a local entry object that the promise resolves with; `onReady` is the ready listener's body. */
const SFTP_ENTRY = (onReady: string) => `
      const { Client } = require('ssh2');
      function connectSftp(opts) {
        return new Promise((resolve, reject) => {
          const conn = new Client();
          const entry = { conn, sftp: null, closed: false };
          conn.once('ready', () => {
            ${onReady}
          });
          conn.on('error', (err) => {
            conn.end();
            reject(err);
          });
          conn.once('close', () => {
            entry.closed = true;
          });
          conn.connect(opts);
        });
      }
      module.exports = { connectSftp };`;

valid.push({
  name: 'a connection kept in a local entry object the promise resolves with once its SFTP session is open',
  code: SFTP_ENTRY(`conn.sftp((err, sftp) => {
              if (err) {
                conn.end();
                reject(err);
                return;
              }
              entry.sftp = sftp;
              resolve(entry);
            });`),
  ext: '.js',
});
invalid.push({
  name: 'the same entry object never resolved when the SFTP subsystem fails: the connection is left open',
  code: SFTP_ENTRY(`conn.sftp((err, sftp) => {
              if (err) {
                reject(err);
                return;
              }
              entry.sftp = sftp;
              resolve(entry);
            });`),
  ext: '.js',
  errors: [{ line: 4, message: /^SSH connection from `ssh2.Client` is not closed when the `return` on line 10 is taken/ }],
});
