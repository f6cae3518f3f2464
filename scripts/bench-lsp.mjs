// `npm run bench:lsp`: drives the real built server (node dist/server.js --stdio) like an editor
// would, on mongodb's ~41k lines of TypeScript from the shared corpus, and prints
//   - first diagnostics of the first file opened (cold: the project loads),
//   - first diagnostics of a newly opened file once the project is loaded,
//   - p50/p95/max time from an edit (didChange) to its diagnostics, after warm-up.
// Targets (issue #4): edit → diagnostics p95 ≤ 100 ms; first diagnostics of a new file ≤ 2 s.
// Options: --edits=N (default 60), --file=<path under mongodb/>, --other=<path>, --typing (send edits
// 30 ms apart without waiting, like fast typing, and time the last one), --cpu-prof (profile the
// server into .bench/ to see where the time goes).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const EDITS = Number(arg('edits', 60));
const WARMUP = 8;
const TYPING = process.argv.includes('--typing');

// The corpus: mongodb ships its own tsconfig.json (include src/**/*), so opening a file of its
// sources loads the same ~41k-line project an editor would.
let corpus = process.env.LINGER_CORPUS;
if (!corpus || !existsSync(join(corpus, 'node_modules', 'mongodb'))) {
  const fetch = join(root, '..', 'shared', 'corpus', 'fetch-corpus.sh');
  if (!existsSync(fetch)) {
    console.error(`bench:lsp: no corpus (set LINGER_CORPUS or provide ${fetch})`);
    process.exit(2);
  }
  corpus = execFileSync('bash', [fetch], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
}
const mongodb = join(corpus, 'node_modules', 'mongodb');
const file = join(mongodb, arg('file', 'src/sdam/topology.ts'));
const other = join(mongodb, arg('other', 'src/cmap/connection_pool.ts'));
const server = join(root, 'dist', 'server.js');
if (!existsSync(server)) {
  console.error('bench:lsp: dist/server.js is missing; run npm run build');
  process.exit(2);
}

const nodeArgs = process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(root, '.bench')}`] : [];
const proc = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
conn.onRequest((method) => (method === 'workspace/configuration' ? [{}] : null));
// `linger/status` carries the core's own analysis time, to tell core time from protocol overhead.
let lastCoreMs = 0;
conn.onNotification('linger/status', (p) => { if (typeof p.durationMs === 'number') lastCoreMs = p.durationMs; });
conn.onNotification(() => undefined);
conn.listen();

const now = () => performance.now();
const uri = (f) => pathToFileURL(f).href;
const lines = (f) => readFileSync(f, 'utf8');

await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: uri(mongodb),
  workspaceFolders: [{ uri: uri(mongodb), name: 'mongodb' }],
  initializationOptions: { status: true },
  capabilities: {
    textDocument: { diagnostic: {}, codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } },
    workspace: { configuration: true, diagnostics: { refreshSupport: true }, workspaceEdit: { documentChanges: true } },
    window: { workDoneProgress: true },
  },
});
await conn.sendNotification('initialized', {});

async function openAndDiagnose(f) {
  const text = lines(f);
  const started = now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(f), languageId: 'typescript', version: 1, text } });
  const report = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri(f) } });
  return { ms: now() - started, items: report.items?.length ?? 0, text };
}

const cold = await openAndDiagnose(file);
const fresh = await openAndDiagnose(other);

// Edits: toggle a trailing comment on a line in the middle of the file, as incremental changes
// (what an editor sends on each keystroke). The text always parses, so each edit is fully analysed.
const text = cold.text.split('\n');
const line = Math.floor(text.length / 2);
const col = text[line].length;
let version = 1;
let commented = false;
function nextEdit() {
  version++;
  commented = !commented;
  const change = commented
    ? { range: { start: { line, character: col }, end: { line, character: col } }, text: ` // edit ${version}` }
    : { range: { start: { line, character: col }, end: { line, character: col + ` // edit ${version - 1}`.length } }, text: '' };
  return conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [change] });
}

async function editAndDiagnose() {
  const started = now();
  await nextEdit();
  const report = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri(file) } });
  if (report.kind !== 'full') throw new Error(`unexpected report ${JSON.stringify(report).slice(0, 200)}`);
  coreTimes.push(lastCoreMs);
  return now() - started;
}
const coreTimes = [];

/** Fast typing: a burst of edits 30 ms apart, each followed by a pull the next edit cancels (like VS Code). */
async function typingBurst(n = 5) {
  const { CancellationTokenSource } = require('vscode-jsonrpc/node');
  let pending;
  let source;
  let started = 0;
  for (let i = 0; i < n; i++) {
    source?.cancel();
    pending?.catch(() => undefined);
    started = now();
    await nextEdit();
    source = new CancellationTokenSource();
    pending = conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri(file) } }, source.token);
    if (i < n - 1) await new Promise((r) => setTimeout(r, 30));
  }
  await pending;
  return now() - started;
}

for (let i = 0; i < WARMUP; i++) await editAndDiagnose();
coreTimes.length = 0;
const times = [];
for (let i = 0; i < EDITS; i++) times.push(TYPING ? await typingBurst() : await editAndDiagnose());

await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
// Give a profiling server time to write its profile before it is killed.
setTimeout(() => proc.kill(), nodeArgs.length ? 20_000 : 1000).unref();

times.sort((a, b) => a - b);
coreTimes.sort((a, b) => a - b);
const pct = (p, list = times) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;
const rel = (f) => f.slice(mongodb.length + 1);
console.log(`corpus: ${mongodb} (its tsconfig.json: src/**/*)`);
console.log(`first diagnostics, cold (project loads): ${ms(cold.ms)}  ${rel(file)}, ${text.length} lines, ${cold.items} diagnostics`);
console.log(`first diagnostics of a newly opened file: ${ms(fresh.ms)}  ${rel(other)}  (target <= 2000 ms) ${fresh.ms <= 2000 ? 'OK' : 'OVER TARGET'}`);
console.log(`edit → diagnostics${TYPING ? ' (last edit of a 5-edit burst, 30 ms apart)' : ''}, ${EDITS} edits after ${WARMUP} warm-up: ` +
  `p50 ${ms(pct(50))}  p95 ${ms(pct(95))}  max ${ms(times.at(-1))}  (target p95 <= 100 ms) ${pct(95) <= 100 ? 'OK' : 'OVER TARGET'}`);
if (coreTimes.length) {
  console.log(`  of which Analyzer.analyzeFile (core): p50 ${ms(pct(50, coreTimes))}  p95 ${ms(pct(95, coreTimes))}  max ${ms(coreTimes.at(-1))}`);
}
