import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analyzer } from '../../server/src/core/analyze';

describe('outbound connection sites', () => {
  it('lists literal targets of net, http, fetch and WebSocket, and leaves computed ones out', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-conn-'));
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, [
      "import * as net from 'net';",
      "import * as https from 'https';",
      "import WebSocket from 'ws';",
      'const CACHE_PORT = 6379;',
      "export const a = () => net.connect(CACHE_PORT, 'cache');",
      "export const b = () => net.connect({ host: 'db', port: 5432 });",
      "export const c = () => https.get('https://api.example.com/v1', (r) => r.resume());",
      "export const d = () => fetch('http://search:9200/_cat');",
      "export const e = () => new WebSocket('ws://hub:9000/feed');",
      'export const f = (u: string) => fetch(u);',
      '',
    ].join('\n'));
    const r = new Analyzer({ connections: true }).analyzeFile(file);
    assert.deepEqual(r.connections.map((c) => [c.line, c.api, c.host, c.port]), [
      [5, 'net.connect', 'cache', 6379],
      [6, 'net.connect', 'db', 5432],
      [7, 'https.get', 'api.example.com', 443],
      [8, 'fetch', 'search', 9200],
      [9, 'ws.default', 'hub', 9000],
    ]);
    assert.deepEqual(new Analyzer().analyzeFile(file).connections, [], 'only collected when asked for');
  });
});
