// unclosed-connection: file-transfer clients, open from their `access()`/`connect()`: FTP (basic-ftp's
// `Client`, closed by `close()`; node-ftp's, by `end()`) and SFTP (ssh2-sftp-client, closed by `end()`), left open by an early
// return or a throw (a refused login in `access()` too: it rejects with the control connection open),
// beside the same clients closed in `finally` and one never connected. An ftp-srv server a test hook starts with
// `listen()` holds its port until `close()`.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A mocha suite that starts an ftp-srv server in before(); `after` is its after hook's body. */
const FTP_SUITE = (after: string) => `
      const FtpSrv = require('ftp-srv');
      describe('exportJournal', function () {
        let ftpServer;
        before(async function () {
          ftpServer = new FtpSrv({ url: 'ftp://127.0.0.1:2121', anonymous: true });
          ftpServer.on('login', (data, resolve) => resolve({ root: '/tmp' }));
          await ftpServer.listen();
        });
        after(async function () { ${after} });
        it('uploads', async function () {});
      });`;

export const valid: ValidCase[] = [
  {
    name: 'an ftp-srv server a before hook starts, closed in after',
    code: FTP_SUITE('await ftpServer.close();'),
    ext: '.js',
    file: 'lib/ftp/journalExport.test.js',
  },
  {
    name: 'basic-ftp and ssh2-sftp-client clients closed in finally; one never connected holds nothing',
    code: `
      import { Client } from 'basic-ftp';
      import SftpClient from 'ssh2-sftp-client';
      export async function upload(cfg: object, local: string, remote: string) {
        const client = new Client();
        try {
          await client.access(cfg);
          await client.uploadFrom(local, remote);
        } finally {
          client.close();
        }
      }
      export async function list(opts: object, dir: string) {
        const sftp = new SftpClient();
        try {
          await sftp.connect(opts);
          return await sftp.list(dir);
        } finally {
          await sftp.end();
        }
      }
      export function describeClient(): string {
        const unused = new Client();
        return String(unused.closed);
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same ftp-srv server when after() only removes a temp dir: its port stays bound',
    code: FTP_SUITE("require('fs').rmSync('/tmp/x', { recursive: true, force: true });"),
    ext: '.js',
    file: 'lib/ftp/journalExport.test.js',
    errors: [{ line: 5, message: /^The server from `ftp-srv` that a test hook keeps in `ftpServer`/ }],
  },
  {
    name: "an ftp (node-ftp) client whose 'ready' listener returns on a failed cwd without ending it",
    ext: '.js',
    code: `
      const Client = require('ftp');
      function listRemote(site, dir, callback) {
        const c = new Client();
        c.once('ready', () => {
          c.cwd(dir, (cwdErr) => {
            if (cwdErr) return callback(cwdErr);
            c.list((listErr, entries) => {
              c.end();
              callback(listErr, entries);
            });
          });
        });
        c.once('error', callback);
        c.connect({ host: site.host, user: site.user, password: site.password });
      }
      module.exports = { listRemote };`,
    errors: [{ line: 3, message: /FTP client from `ftp` is not closed when the `return` on line 6 is taken/ }],
  },
  {
    name: 'a basic-ftp client left open by an early return when nothing is new',
    code: `
      const path = require('node:path');
      const ftp = require('basic-ftp');
      async function pullNew(cfg, remoteDir, localDir) {
        const client = new ftp.Client(30000);
        await client.access({ host: cfg.host, user: cfg.user, password: cfg.password });
        const entries = await client.list(remoteDir);
        if (entries.length === 0) return [];
        for (const e of entries) await client.downloadTo(path.join(localDir, e.name), remoteDir + '/' + e.name);
        client.close();
        return entries.map((e) => e.name);
      }
      module.exports = { pullNew };`,
    ext: '.js',
    errors: [{ line: 4, message: /^FTP client from `basic-ftp.Client` is not closed when the `return` on line 7 is taken/ }],
  },
  {
    name: 'an ssh2-sftp-client connection left open by a throw after it connected',
    code: `
      import SftpClient from 'ssh2-sftp-client';
      export async function fetchRemote(opts: object, remotePath: string, localPath: string, maxBytes: number) {
        const sftp = new SftpClient();
        await sftp.connect(opts);
        const stat = await sftp.stat(remotePath);
        if (stat.size > maxBytes) throw new Error('too large');
        await sftp.fastGet(remotePath, localPath);
        await sftp.end();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "a basic-ftp client whose access() is awaited before the try: a refused login rejects with the control connection open",
    code: `
      const ftp = require('basic-ftp');
      async function mirror(cfg, files) {
        const client = new ftp.Client(60000);
        await client.access({ host: cfg.host, user: cfg.user, password: cfg.password });
        try {
          for (const f of files) await client.uploadFrom(f, f.split('/').pop());
        } finally {
          client.close();
        }
      }
      module.exports = { mirror };`,
    ext: '.js',
    errors: [{ line: 3, message: /`await` on line 4 rejects/ }],
  },
];
