// connection-churn: an SSH/SFTP or FTP session made again on every iteration of a loop that talks to one
// server pays the handshakes per iteration; a loop over servers needs a session per server (also one a project
// helper opens, `await ready(ssh, { host })`). The same for
// clients meant to be shared (Redis, pools): one per element of an array method's callback is churn unless
// the element picks the server (a probe of each cluster seed). An HTTP/2 session a promise's executor opens
// for one request and closes when that request ends is one per call of the function that makes the promise.
// A loop whose variable only picks the database (`keyspace`, `database`) talks to the same servers each time.
// The same through a call: a rotator that makes a pool for the server its parameter names, called with each
// element of a list (`for (const t of plan.mssql) await step(…, () => rotateLogin(t))`), needs one per server;
// called with the same server each time (a route handler's), it churns. An HTTP/2 session made just before the
// promise and closed in its request's 'close' listener is one per call too.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';


/** A login rotator in its own module: a pool to the server `target` names, closed in `finally`. */
const ROTATOR = `
import sql from 'mssql';
export interface Target { name: string; server: string; database: string; login: string }
export async function rotateLogin(target: Target, password: string): Promise<void> {
  const pool = new sql.ConnectionPool({ server: target.server, database: target.database, user: 'sa', password: process.env.SA_PASSWORD });
  await pool.connect();
  try {
    await pool.request().batch(\`ALTER LOGIN [\${target.login}] WITH PASSWORD = N'\${password}'\`);
  } finally {
    await pool.close();
  }
}
`;

export const invalid: InvalidCase[] = [
  {
    name: "an HTTP/2 session per push made just before the promise and closed in its request's 'close' listener",
    code: `
      import http2 from 'node:http2';
      export function sendPush(token: string, alert: { title: string }): Promise<number> {
        const session = http2.connect('https://api.push.apple.com');
        return new Promise((resolve, reject) => {
          session.on('error', reject);
          const req = session.request({ ':method': 'POST', ':path': '/3/device/' + token });
          let status = 0;
          req.on('response', (headers) => { status = Number(headers[':status']); });
          req.resume();
          req.on('end', () => (status === 200 ? resolve(status) : reject(new Error('apns ' + status))));
          req.on('error', reject);
          req.on('close', () => session.close());
          req.end(JSON.stringify({ aps: { alert } }));
        });
      }`,
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'a rotator called by a route handler for the one configured server: a pool per request to the same server',
    code: ROTATOR,
    file: 'src/rotators/mssql.ts',
    files: {
      'src/routes.ts': `
import express from 'express';
import { rotateLogin } from './rotators/mssql';
const primary = { name: 'main', server: process.env.SQL_HOST ?? 'db', database: 'app', login: 'svc' };
export const router = express.Router();
router.post('/rotate', async (req, res) => {
  await rotateLogin(primary, req.body.password);
  res.sendStatus(204);
});
`,
    },
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: 'a Cassandra client per tenant keyspace, on the same contact points: the loop picks a keyspace, not a server',
    ext: '.mjs',
    code: `
      import cassandra from 'cassandra-driver';
      export async function rollup(contactPoints, keyspaces, bucket) {
        const summary = {};
        for (const keyspace of keyspaces) {
          const client = new cassandra.Client({ contactPoints, localDataCenter: 'dc1', keyspace });
          try {
            await client.connect();
            const rs = await client.execute('SELECT count(*) FROM readings WHERE bucket = ?', [bucket], { prepare: true });
            summary[keyspace] = rs.rows.length;
          } finally {
            await client.shutdown();
          }
        }
        return summary;
      }`,
    errors: [{ line: 5, messageId: 'clientPerIteration' }],
  },
  {
    name: "an HTTP/2 session per call, opened in a promise's executor and closed in its request's 'end' listener",
    code: `
      import http2 from 'node:http2';
      export function getJson<T>(origin: string, path: string): Promise<T> {
        return new Promise((resolve, reject) => {
          const session = http2.connect(origin);
          session.on('error', reject);
          const req = session.request({ ':path': path });
          let body = '';
          req.setEncoding('utf8');
          req.on('data', (chunk: string) => (body += chunk));
          req.on('end', () => {
            session.close();
            resolve(JSON.parse(body) as T);
          });
          req.on('error', (err) => {
            session.close();
            reject(err);
          });
        });
      }`,
    errors: [{ line: 4, message: /on every call of `getJson` and closed before it returns/ }],
  },
  {
    name: 'an SFTP session per file of a batch to the same partner host, ended in each finally',
    code: `
      import SftpClient from 'ssh2-sftp-client';
      export async function dropBatch(target: { host: string; username: string; privateKey: string; remoteDir: string }, files: string[]) {
        const uploaded: string[] = [];
        for (const file of files) {
          const sftp = new SftpClient('export-batch');
          try {
            await sftp.connect({ host: target.host, port: 22, username: target.username, privateKey: target.privateKey });
            await sftp.put(file, target.remoteDir + '/' + file.split('/').pop());
            uploaded.push(file);
          } finally {
            await sftp.end().catch(() => undefined);
          }
        }
        return uploaded;
      }`,
    errors: [{ line: 5, messageId: 'clientPerIteration' }],
  },
  {
    name: 'a Redis client per key of a batch, made in the callback of keys.map() and disconnected in its finally: one server, a client per key',
    code: `
      const Redis = require('ioredis');
      async function purge(keys, options) {
        await Promise.all(keys.map(async (key) => {
          const single = new Redis(options);
          try { await single.del(key); } finally { single.disconnect(); }
        }));
      }
      module.exports = { purge };`,
    ext: '.js',
    errors: [{ line: 4, message: /closed before it returns/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a rotator called with each target of the plan, in a callback of the loop: a pool per server",
    code: ROTATOR,
    file: 'src/rotators/mssql.ts',
    files: {
      'src/daemon.ts': `
import { rotateLogin, type Target } from './rotators/mssql';
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try { await fn(); } catch (err) { console.error(name, err); }
}
export async function rotateAll(plan: { mssql: Target[] }): Promise<void> {
  for (const t of plan.mssql) await step('mssql:' + t.name, () => rotateLogin(t, Math.random().toString(36)));
}
setInterval(() => void rotateAll(JSON.parse(process.env.PLAN ?? '{"mssql":[]}')), 60_000);
`,
    },
  },
  {
    name: 'the same rotator given each target by an array method',
    code: ROTATOR,
    file: 'src/rotators/mssql.ts',
    files: {
      'src/daemon.ts': `
import { rotateLogin, type Target } from './rotators/mssql';
export async function rotateAll(targets: Target[]): Promise<void> {
  await Promise.all(targets.map((t) => rotateLogin(t, Math.random().toString(36))));
}
setInterval(() => void rotateAll([]), 60_000);
`,
    },
  },
  {
    name: 'an SSH session per host of a deploy: each server needs its own',
    code: `
      import { Client } from 'ssh2';
      export async function restartAll(hosts: string[], privateKey: string) {
        for (const host of hosts) {
          const ssh = new Client();
          try {
            await new Promise<void>((resolve, reject) => ssh.once('ready', resolve).once('error', reject).connect({ host, username: 'deploy', privateKey }));
            await new Promise<void>((resolve, reject) => ssh.exec('systemctl restart app', (err) => (err ? reject(err) : resolve())));
          } finally {
            ssh.end();
          }
        }
      }`,
  },
  {
    name: 'the same SSH session per host opened by a project helper (`await ready(ssh, { host })` calls `ssh.connect(o)`)',
    code: `
      import { Client, type ConnectConfig } from 'ssh2';
      function ready(ssh: Client, opts: ConnectConfig): Promise<void> {
        return new Promise((resolve, reject) => {
          ssh.once('ready', () => resolve());
          ssh.once('error', reject);
          ssh.connect(opts);
        });
      }
      export async function restartAll(hosts: string[], privateKey: string) {
        for (const host of hosts) {
          const ssh = new Client();
          try {
            await ready(ssh, { host, username: 'deploy', privateKey });
            await new Promise<void>((resolve, reject) => ssh.exec('systemctl restart app', (err) => (err ? reject(err) : resolve())));
          } finally {
            ssh.end();
          }
        }
      }`,
  },
  {
    name: 'an FTP session per mirror, its settings read in the loop body',
    code: `
      import { Client } from 'basic-ftp';
      export async function publish(mirrors: Array<{ url: string; user: string; password: string }>, file: string) {
        for (const mirror of mirrors.filter(Boolean)) {
          const settings = { host: new URL(mirror.url).hostname, user: mirror.user, password: mirror.password };
          const ftp = new Client();
          try {
            await ftp.access(settings);
            await ftp.uploadFrom(file, 'release.tar.gz');
          } finally {
            ftp.close();
          }
        }
      }`,
  },
  {
    name: "a Redis client per cluster seed, made in the callback of seeds.map() from the seed's host and port: each seed is a server of its own",
    code: `
      const Redis = require('ioredis');
      async function buildNatMap(seeds, redisOptions) {
        const natMap = {};
        await Promise.all(seeds.map(async (seed) => {
          const single = new Redis({ host: seed.host, port: seed.port, ...redisOptions, maxRetriesPerRequest: 0 });
          try {
            natMap[seed.host] = await single.cluster('nodes');
          } finally {
            single.disconnect();
          }
        }));
        return natMap;
      }
      module.exports = { buildNatMap };`,
    ext: '.js',
  },
];
