// The restart section of `npm run bench:lsp`: the first diagnostics of a file when the server starts,
// with and without the .lingercache that `linger audit --cache` wrote in the workspace folder (the
// server shows the cached result while its project loads). On a scratch copy of mongodb's sources
// (the corpus stays untouched; node_modules is linked for the type declarations), interleaved:
// a server started with the cache, then one without, `runs` times; medians.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

/** Starts the built server on `folder`, opens `file` and times its first diagnostics. */
async function firstDiagnostics(server, folder, file) {
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.onRequest((method) => (method === 'workspace/configuration' ? [{}] : null));
  let fromCache = false;
  conn.onNotification('window/logMessage', (p) => { if (String(p.message).includes('from the results cache')) fromCache = true; });
  conn.onNotification(() => undefined);
  conn.listen();
  const uri = pathToFileURL(file).href;
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'bench' }],
      capabilities: { textDocument: { diagnostic: {} }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } },
    });
    await conn.sendNotification('initialized', {});
    const started = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: readFileSync(file, 'utf8') } });
    const report = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const ms = performance.now() - started;
    return { ms, items: report.items?.length ?? 0, fromCache };
  } finally {
    await conn.sendRequest('shutdown').catch(() => undefined);
    await conn.sendNotification('exit').catch(() => undefined);
    setTimeout(() => proc.kill(), 1000).unref();
    conn.dispose();
  }
}

export async function restartSection({ root, mongodb, relFile, runs = 3 }) {
  const scratch = mkdtempSync(join(tmpdir(), 'linger-bench-restart-'));
  try {
    cpSync(join(mongodb, 'src'), join(scratch, 'src'), { recursive: true });
    cpSync(join(mongodb, 'tsconfig.json'), join(scratch, 'tsconfig.json'));
    writeFileSync(join(scratch, 'package.json'), '{"name":"bench-restart","private":true}');
    symlinkSync(join(mongodb, '..'), join(scratch, 'node_modules'), 'dir');
    const cli = join(root, 'bin', 'linger.js');
    const server = join(root, 'dist', 'server.js');
    const file = join(scratch, relFile);
    const audit = () => {
      const r = spawnSync(process.execPath, [cli, 'audit', '--cache'], { cwd: scratch, encoding: 'utf8' });
      if (r.status === null || r.status > 1) throw new Error(`linger audit --cache failed: ${r.stderr}`);
    };
    const cached = [];
    const uncached = [];
    for (let i = 0; i < runs; i++) {
      audit();
      const a = await firstDiagnostics(server, scratch, file);
      if (!a.fromCache) throw new Error('the server did not take the first diagnostics from the cache');
      cached.push(a);
      rmSync(join(scratch, '.lingercache'), { force: true });
      const b = await firstDiagnostics(server, scratch, file);
      if (b.fromCache || b.items !== a.items) throw new Error(`without the cache: ${JSON.stringify(b)}, with it: ${JSON.stringify(a)}`);
      uncached.push(b);
    }
    const median = (xs) => [...xs].map((x) => x.ms).sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    return `first diagnostics after a restart, ${relFile}: ${median(cached).toFixed(1)} ms from the .lingercache of linger audit --cache, ` +
      `${median(uncached).toFixed(1)} ms without it (project loads), ${cached[0].items} diagnostics either way; medians of ${runs} interleaved starts`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
