import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnalyzer } from '../../server/src/analyzer';

describe('outbound connection sites', () => {
  it('lists literal targets of net, http, fetch and WebSocket, and leaves computed ones out (but for socket connects)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-conn-'));
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, [
      "import * as net from 'net';",
      "import * as https from 'https';",
      "import WebSocket from 'ws';",
      "import * as tls from 'tls';",
      'const CACHE_PORT = 6379;',
      "export const a = () => net.connect(CACHE_PORT, 'cache');",
      "export const b = () => net.connect({ host: 'db', port: 5432 });",
      "export const c = () => https.get('https://api.example.com/v1', (r) => r.resume());",
      "export const d = () => fetch('http://search:9200/_cat');",
      "export const e = () => new WebSocket('ws://hub:9000/feed');",
      'export const f = (u: string) => fetch(u);',
      'export const g = (port: number) => net.connect(port);',
      'export const h = (host: string, port: number) => tls.connect({ host, port });',
      '',
    ].join('\n'));
    const r = createAnalyzer({ connections: true }).analyzeFile(file);
    assert.deepEqual(r.connections.map((c) => [c.line, c.api, c.host, c.port]), [
      [6, 'net.connect', 'cache', 6379],
      [7, 'net.connect', 'db', 5432],
      [8, 'https.get', 'api.example.com', 443],
      [9, 'fetch', 'search', 9200],
      [10, 'ws.default', 'hub', 9000],
      // A socket connect is listed whatever its target (the editor's hover on connect()); no port, no service to sit beside.
      [12, 'net.connect', null, null],
      [13, 'tls.connect', null, null],
    ]);
    assert.deepEqual(createAnalyzer().analyzeFile(file).connections, [], 'only collected when asked for');
  });
});
