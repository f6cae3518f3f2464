// The short titles of the Connections view's rows: the resource and the exit, one per message id,
// from real findings of the analyzer (so a changed message or related text shows up here).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnalyzer } from '../../server/src/analyzer';
import { findingTitle } from '../../server/src/finding-title';

const CODE = `import * as net from 'net';
import * as http from 'http';
import * as dgram from 'dgram';
import { Pool } from 'pg';

const pool = new Pool();

export async function probe(host: string, port: number): Promise<boolean> {
  const s = net.connect({ host, port });
  await new Promise((r, reject) => { s.once('data', r); s.once('error', reject); });
  if (!host) return false;
  s.end();
  return true;
}

export function never(port: number): void {
  const s = net.connect(port);
  s.write('x');
}

export function dropped(port: number): void {
  net.connect(port);
}

export async function users(): Promise<unknown> {
  const res = await fetch('https://api.example.com/users');
  if (!res.ok) throw new Error('bad');
  return res.json();
}

export async function count(): Promise<number> {
  const client = await pool.connect();
  const r = await client.query('SELECT 1');
  client.release();
  return r.rowCount ?? 0;
}

export function pinned(host: string): net.Socket {
  return net.connect({ host, port: 443, localPort: 5000 });
}

export function churn(host: string): void {
  http.get({ host, agent: false }, (res) => res.resume());
}

export function bind(): dgram.Socket {
  const sock = dgram.createSocket('udp4');
  sock.bind(5353, () => sock.addMembership('224.0.0.251'));
  return sock;
}

export function halfOpen(port: number): void {
  const c = net.connect({ port, allowHalfOpen: true });
  c.write('hello');
  c.on('data', (d) => console.log(d));
}

export function timeout(port: number): void {
  const t = net.connect(port);
  t.setTimeout(1000);
  t.on('timeout', () => {
    console.log('idle');
  });
  t.on('end', () => t.end());
}

import { MongoClient } from 'mongodb';
export async function session(client: MongoClient, id: string): Promise<boolean> {
  const s = client.startSession();
  const doc = await client.db('app').collection('locks').findOne({ id }, { session: s });
  if (doc) return false;
  await s.endSession();
  return true;
}
`;

describe('finding titles (Connections view rows)', () => {
  it('names the resource and the exit of each kind of finding, in a few words', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-titles-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), CODE);
      const r = createAnalyzer().analyzeFile(path.join(dir, 'a.ts'));
      assert.deepEqual(r.findings.map((f) => `${f.line} ${f.ruleId}: ${findingTitle(f)}`), [
        '9 unclosed-connection: socket · not closed on return',
        '17 unclosed-connection: socket · never closed',
        '22 unclosed-connection: socket · dropped where created',
        '26 unconsumed-response: response · not consumed or cancelled on throw',
        '32 unreleased-pool-connection: pooled connection · not released if await rejects',
        '39 fixed-local-port: localPort 5000 · collides with TIME_WAIT',
        '43 connection-churn: agent: false · a new connection per request',
        '48 listen-without-reuseaddr: multicast bind · no reuseAddr',
        '53 unclosed-connection: socket · never closed',
        '53 half-open-socket: allowHalfOpen socket · never ended',
        "61 timeout-without-destroy: 'timeout' handler · never destroys it",
        '69 unreleased-pool-connection: MongoDB session · not released on return (+1 more)',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the names of resources that are proper nouns, and falls back to the first sentence for an unknown message', () => {
    const related = [{ file: 'a.ts', line: 3, column: 3, endLine: 3, endColumn: 9, message: 'not closed if this `await` rejects' }];
    const title = (message: string, ruleId = 'unclosed-connection') => findingTitle({ ruleId, messageId: 'somePaths', message, related });
    assert.equal(title('UDP socket from `dgram.createSocket` is not closed if the `await` on line 3 rejects. x'), 'UDP socket · not closed if await rejects');
    assert.equal(title('Redis connection from `new Redis` is not closed if the `await` on line 3 rejects. x'), 'Redis connection · not closed if await rejects');
    assert.equal(title('MongoDB client from `new MongoClient` is not closed if the `await` on line 3 rejects. x'), 'MongoDB client · not closed if await rejects');
    assert.equal(title('Server from `net.createServer` is not closed if the `await` on line 3 rejects. x'), 'server · not closed if await rejects');
    assert.equal(title('Something new happened here. It costs this much.', 'a-future-rule'), 'Something new happened here.');
    const evicted = [{ ...related[0], message: 'its entry is deleted here, and nothing here closes it; the class can no longer reach it' }];
    assert.equal(findingTitle({ ruleId: 'unclosed-connection', messageId: 'evicted', related: evicted,
      message: 'Socket.IO client from `socket.io-client.io` is kept in `this.subs`, and the entry that holds it is deleted on line 3 by a method that does not close it. x' }),
    'Socket.IO client · dropped from its collection while open');
  });
});
