// `npm run bench:lsp`: drives the real built server (node dist/server.js --stdio) like an editor
// would, on mongodb's ~41k lines of TypeScript from the shared corpus, and prints
//   - first diagnostics of the first file opened (cold: the project loads),
//   - first diagnostics of a newly opened file once the project is loaded,
//   - first diagnostics after a restart, with and without the .lingercache of `linger audit --cache`
//     (scripts/bench/lsp-restart.mjs, on a scratch copy; skip with --no-restart),
//   - p50/p95/max time from an edit (didChange) to its diagnostics, after warm-up, in a 1,000-line
//     file (src/sdam/topology.ts, 1,112 lines) and in a 5,000-line one (an unsaved buffer in src/ made
//     of four of its files: mongo_client.ts, sessions.ts, collection.ts, connection_string.ts).
// Targets (issue 15): edit → diagnostics p95 ≤ 50 ms in the 1,000-line file, ≤ 150 ms in the
// 5,000-line one; first diagnostics of a new file ≤ 2 s. The machine's load average is printed with them.
// Options: --edits=N (default 60), --file=<path under mongodb/>, --other=<path>, --typing (send edits
// 30 ms apart without waiting, like fast typing, and time the last one), --cpu-prof (profile the
// server into .bench/ to see where the time goes), --no-5000 (skip the 5,000-line file).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { restartSection } from './bench/lsp-restart.mjs';

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
const rel = (f) => f.slice(mongodb.length + 1);
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
function editor(docUri, docText) {
  const text = docText.split('\n');
  const line = Math.floor(text.length / 2);
  const col = text[line].length;
  let version = 1;
  let commented = false;
  const nextEdit = () => {
    version++;
    commented = !commented;
    const change = commented
      ? { range: { start: { line, character: col }, end: { line, character: col } }, text: ` // edit ${version}` }
      : { range: { start: { line, character: col }, end: { line, character: col + ` // edit ${version - 1}`.length } }, text: '' };
    return conn.sendNotification('textDocument/didChange', { textDocument: { uri: docUri, version }, contentChanges: [change] });
  };
  return { lines: text.length, nextEdit };
}

async function editAndDiagnose(docUri, nextEdit, coreTimes) {
  const started = now();
  await nextEdit();
  const report = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: docUri } });
  if (report.kind !== 'full') throw new Error(`unexpected report ${JSON.stringify(report).slice(0, 200)}`);
  coreTimes.push(lastCoreMs);
  return now() - started;
}

/** Fast typing: a burst of edits 30 ms apart, each followed by a pull the next edit cancels (like VS Code). */
async function typingBurst(docUri, nextEdit, n = 5) {
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
    pending = conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: docUri } }, source.token);
    if (i < n - 1) await new Promise((r) => setTimeout(r, 30));
  }
  await pending;
  return now() - started;
}

/** Edits after warm-up in one open document: sorted edit → diagnostics times, and the core's own times. */
async function measureEdits(docUri, docText) {
  const { nextEdit, lines: count } = editor(docUri, docText);
  const coreTimes = [];
  for (let i = 0; i < WARMUP; i++) await editAndDiagnose(docUri, nextEdit, coreTimes);
  coreTimes.length = 0;
  const times = [];
  for (let i = 0; i < EDITS; i++) times.push(TYPING ? await typingBurst(docUri, nextEdit) : await editAndDiagnose(docUri, nextEdit, coreTimes));
  times.sort((a, b) => a - b);
  coreTimes.sort((a, b) => a - b);
  return { lines: count, times, coreTimes };
}

const results = [{ label: `${rel(file)}`, target: 50, ...(await measureEdits(uri(file), cold.text)) }];
if (!process.argv.includes('--no-5000')) {
  // 5,000 lines of mongodb's own code in one unsaved buffer of the project (src/, where its imports resolve).
  const big = join(mongodb, 'src', 'bench-5000-lines.ts');
  const bigText = ['mongo_client.ts', 'sessions.ts', 'collection.ts', 'connection_string.ts'].map((f) => lines(join(mongodb, 'src', f))).join('');
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(big), languageId: 'typescript', version: 1, text: bigText } });
  await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri(big) } });
  results.push({ label: `${rel(big)} (an unsaved buffer: mongo_client, sessions, collection, connection_string)`, target: 150, ...(await measureEdits(uri(big), bigText)) });
}

await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
// Give a profiling server time to write its profile before it is killed.
setTimeout(() => proc.kill(), nodeArgs.length ? 20_000 : 1000).unref();

const pct = (p, list) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`corpus: ${mongodb} (its tsconfig.json: src/**/*); node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`first diagnostics, cold (project loads): ${ms(cold.ms)}  ${rel(file)}, ${cold.text.split('\n').length} lines, ${cold.items} diagnostics`);
console.log(`first diagnostics of a newly opened file: ${ms(fresh.ms)}  ${rel(other)}  (target <= 2000 ms) ${fresh.ms <= 2000 ? 'OK' : 'OVER TARGET'}`);
for (const r of results) {
  const p95 = pct(95, r.times);
  console.log(`edit → diagnostics${TYPING ? ' (last edit of a 5-edit burst, 30 ms apart)' : ''} in ${r.lines} lines, ${r.label}, ${EDITS} edits after ${WARMUP} warm-up: ` +
    `p50 ${ms(pct(50, r.times))}  p95 ${ms(p95)}  max ${ms(r.times.at(-1))}  (target p95 <= ${r.target} ms) ${p95 <= r.target ? 'OK' : 'OVER TARGET'}`);
  if (r.coreTimes.length) {
    console.log(`  of which Analyzer.analyzeFile (core): p50 ${ms(pct(50, r.coreTimes))}  p95 ${ms(pct(95, r.coreTimes))}  max ${ms(r.coreTimes.at(-1))}`);
  }
}
if (!process.argv.includes('--no-restart')) console.log(await restartSection({ root, mongodb, relFile: rel(file) }));
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
