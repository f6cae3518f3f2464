// `npm run soak -- [--seconds N] [--seed S] [--edits N]`: a soak test of the real language server
// (node dist/server.js --stdio), driven like a very busy editor.
//
// A scratch copy of test/fixtures/lsp/workspace and examples/ is opened in the server (TS and JS,
// leaky and clean, plus a file that exists only in the editor and an untitled buffer). Then, until
// --seconds have passed or --edits edits were sent (default: 10,000 per minute, paced evenly):
//   edits         lines of networking code inserted, lines deleted, ranges replaced, words renamed,
//                 a line typed one character at a time, multi-cursor changes, whole-text replacements,
//                 ranges past the end of the text, half a surrogate pair
//   requests      diagnostic pulls (as VS Code: after edits, the previous pull of the document
//                 cancelled), code actions (fixes and fix-all applied as edits), codeAction/resolve,
//                 hovers, the workspace audit with $/progress, exports, commands, $/cancelRequest of
//                 requests in flight
//   settings      didChangeConfiguration, with workspace/configuration answered with varying `linger`
//                 settings (rules off/on, enable, run onSave, exclude, tiny time budget and size
//                 limit, invalid values), sometimes late, sometimes with an error
//   documents     closed and reopened, saved, projects invalidated (didChangeWatchedFiles)
//   workspace     links (out of the workspace, to /, loops, to /dev/zero), FIFOs, config files of
//                 every shape and huge files appear on disk (announced by didChangeWatchedFiles);
//                 huge documents (over the size cap: never a diagnostic) are opened and typed into;
//                 all undone before the final comparison (scripts/soak/workspace.mjs)
//   bad input     frames with bad JSON and non-object bodies, frames with no, a negative or a
//                 non-numeric Content-Length (each answered with a parse error or an invalid
//                 request for id null, counted), requests without or with positional
//                 params, responses nobody asked for, unknown methods, requests about unknown
//                 documents, malformed params, didChange with stale versions or for unopened documents
// Actions are drawn by weight, except that every kind of action (ACTIONS in scripts/soak/actions.mjs)
// is forced once at a fixed step early in the run, and the kinds still due when the time or the edits
// run out are run then: each kind runs at least once whatever the machine's load.
//
// Oracle (any failure: exit 1, with the seed):
//   answered      every request gets a response (an error RequestCancelled/ServerCancelled/
//                 ContentModified counts), and of the kind expected (MethodNotFound for unknown
//                 methods, InvalidParams for bad params, a report for a pull...)
//   alive         the server is alive at the end, no "uncaught"/"unhandled" on stderr or in its log,
//                 no handler failure logged ("<request> failed: ..."), and it exits 0 on shutdown+exit
//   sane          every diagnostic of a full report lies inside the text of the version pulled; every
//                 fix's edits lie inside the text they are for; every $/progress that began, ended
//   memory        resident memory (VmRSS) at the end <= 1.5 x after warm-up (all documents opened
//                 and pulled twice), both read after a full GC (a preloaded hook, scripts/soak/gc-hook.cjs;
//                 --no-gc reads RSS as it is)
//   final         the diagnostics of every open document at the end (default settings, pulled twice)
//                 equal those of a fresh server given the same final texts: range, code and message
//
// The server bugs it found (regression tests in test/robustness/soak.test.ts) are fixed: their
// triggers are sent and fail the run (--tolerate-fixed-bugs turns that off, to bisect old builds).
// Output: edits done, requests by kind, answered/cancelled/errors, latency of diagnostic pulls
// (p50/p95/max), RSS after warm-up and at the end and their ratio, final diagnostics equal yes/no; a
// last line `SOAK-SUMMARY {json}` for the CI test. The seed fixes every random choice; timing (which
// responses arrive first) is not, so a rerun with the same seed is similar, not identical.
//
// This file runs the soak; its parts are in scripts/soak/: options.mjs (the command line),
// session.mjs (the editor's documents and settings, every request and the check of its answer),
// actions.mjs and bad-input.mjs (what the editor and a broken client send), server.mjs (the server
// processes, their memory), rpc.mjs (JSON-RPC over stdio), text.mjs (random edits), workspace.mjs
// (links, FIFOs, configs on disk) and report.mjs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ACTIONS, FORCED, RUN, auditAction, forcedAt } from './soak/actions.mjs';
import { parseArgs } from './soak/options.mjs';
import { MB, pct, printReport } from './soak/report.mjs';
import { CODES } from './soak/rpc.mjs';
import { SERVER, cpuOf, initialize, memoryOf, rssOf, sleep, startServer, tick, withTimeout } from './soak/server.mjs';
import { Session } from './soak/session.mjs';
import { WorkspaceMutations } from './soak/workspace.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

const opts = parseArgs(process.argv.slice(2));
if (!fs.existsSync(SERVER)) {
  console.error('soak: dist/server.js is missing; run npm run build (npm run soak does)');
  process.exit(2);
}

// ---- The workspace -----------------------------------------------------------------------------

const WS = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-soak-')));
fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'lsp', 'workspace'), path.join(WS, 'app'), { recursive: true });
fs.cpSync(path.join(ROOT, 'examples'), path.join(WS, 'examples'), { recursive: true, filter: (src) => !src.includes('node_modules') });
const uriOf = (file) => pathToFileURL(file).href;
/** Next to the workspace: what its links point to, never to be read (scripts/soak/workspace.mjs). */
const OUTSIDE = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-soak-outside-')));

const s = new Session(opts, WS);
s.stats.actions = Object.fromEntries(Object.keys(ACTIONS).map((k) => [k, 0]));
// Documents: the files of the copy, a JS file that exists only in the editor, an untitled buffer.
for (const dir of ['app/src', 'examples/src']) {
  for (const f of fs.readdirSync(path.join(WS, dir)).sort()) {
    const file = path.join(WS, dir, f);
    s.addDoc(uriOf(file), f.endsWith('.js') ? 'javascript' : 'typescript', fs.readFileSync(file, 'utf8'), true);
  }
}
s.addDoc(uriOf(path.join(WS, 'examples', 'src', 'scratch.js')), 'javascript',
  "const net = require('net');\n\nfunction ping(host) {\n  const s = net.connect(7, host);\n  s.write('x');\n}\n\nmodule.exports = { ping };\n", false);
s.addDoc('untitled:Untitled-1', 'typescript',
  "import * as net from 'net';\n\nexport async function probe(port: number) {\n  const socket = net.connect(port);\n  if (port > 1000) return false;\n  socket.end();\n  return true;\n}\n", false);

// ---- The run -------------------------------------------------------------------------------------

/** Wait until fewer than `n` requests are pending, or `ms` pass (a request that never comes back is reported at the end). */
async function drain(server, n, ms) {
  const deadline = performance.now() + ms;
  while (server.pending.size > n && performance.now() < deadline && server.alive()) await sleep(5);
}

const keyOf = (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`;

/** Pull every open document of `server` until each gives a full report; returns uri -> sorted keys. */
async function finalDiagnostics(s, server, list, label) {
  const out = new Map();
  for (const doc of list) {
    let keys;
    for (let attempt = 0; attempt < 5 && !keys; attempt++) {
      const rec = server.request('textDocument/diagnostic', { textDocument: { uri: doc.uri } });
      const r = await withTimeout(rec.done, 60_000);
      if (!r) s.fail(`${label}: the final pull of ${doc.name} got no answer in 60 s`);
      else if (r.result?.kind === 'full') keys = r.result.items.map(keyOf).sort();
      else if (r.error?.code !== CODES.ServerCancelled) s.fail(`${label}: the final pull of ${doc.name} answered ${JSON.stringify(r).slice(0, 300)}`);
      if (!r) break;
    }
    out.set(doc.uri, keys ?? ['<no report>']);
  }
  return out;
}

async function main() {
  console.log(`soak: seed ${opts.seed}, ${opts.seconds} s, up to ${opts.edits} edits; server ${path.relative(ROOT, SERVER)}${opts.gc ? ' (GC hook preloaded)' : ''}; workspace ${WS}`);
  const soak = startServer('soak', { ws: WS, gc: opts.gc, onRequest: (method, params) => s.onRequest(method, params), onNotification: (method, params) => s.onNotification(method, params) });
  s.server = soak;
  await initialize(soak, WS);
  s.mutations = new WorkspaceMutations(WS, OUTSIDE, s.rng, (method, params) => soak.notify(method, params));

  // Warm-up: every document opened and pulled twice.
  for (const doc of s.docs) s.openDoc(doc);
  for (let round = 0; round < 2; round++) {
    for (const doc of s.docs) {
      const r = await withTimeout(s.pull(doc, { previous: false, kind: 'pull (warm-up)' }).done, 60_000);
      if (!r) throw new Error(`warm-up pull of ${doc.name} got no answer in 60 s; stderr: ${soak.stderr.slice(-2000)}`);
    }
  }
  const warm = await memoryOf(soak, opts.gc);
  s.stats.pullLatencies.length = 0;
  console.log(`warm-up: ${s.docs.length} documents opened and pulled twice; server RSS ${MB(warm.rss)}${warm.heapUsed ? `, heap used ${MB(warm.heapUsed)}` : ''}`);

  s.running = true;
  s.startedAt = performance.now();
  const startedAt = s.startedAt;
  let lastSample = 0;
  let lastReport = startedAt;
  let lastAudit = startedAt;
  let windowStart = 0;
  let lastCpu = cpuOf(soak.pid);
  let lastCpuAt = startedAt;
  let steps = 0;
  // The kinds of action not yet forced (scripts/soak/actions.mjs): each runs at least once, however
  // few steps the machine's load lets run in the time given.
  const forced = [...FORCED];
  for (;;) {
    const inBudget = s.budgetLeft();
    if (s.failures.length >= 50 || !soak.alive() || (!inBudget && !forced.length)) break;
    if (inBudget) {
      // Pace the edits evenly over the time given.
      const elapsed = performance.now() - startedAt;
      const due = (elapsed / (opts.seconds * 1000)) * opts.edits;
      if (s.stats.edits > due + 1) await sleep(Math.min(50, ((s.stats.edits - due) / opts.edits) * opts.seconds * 1000));
    }
    // Bounded concurrency, as an editor's (a hung request shows at the end, it does not stall us).
    if (soak.pending.size > 24) await drain(soak, 24, 2000);
    // Out of time or edits: the kinds still due, one after the other; else forced at fixed steps, or drawn.
    const action = (inBudget ? forcedAt(steps, forced) : forced.shift()) ?? s.rng.weighted(ACTIONS);
    s.stats.actions[action] = (s.stats.actions[action] ?? 0) + 1;
    await RUN[action](s);
    if (++steps % 8 === 0) await tick();
    const now = performance.now();
    if (now - lastAudit > 5000) {
      // At least one workspace audit every 5 s, so that short runs have some.
      lastAudit = now;
      auditAction(s);
    }
    if (now - lastSample > 1000) {
      lastSample = now;
      const rss = rssOf(soak.pid);
      if (rss) s.stats.rssSamples.push(rss);
    }
    if (now - lastReport > opts.progressMs) {
      lastReport = now;
      const window = s.stats.pullLatencies.slice(windowStart);
      windowStart = s.stats.pullLatencies.length;
      const cpu = cpuOf(soak.pid);
      console.log(`  ${((now - startedAt) / 1000).toFixed(0)} s: ${s.stats.edits} edits, ${Object.values(s.stats.requests).reduce((a, b) => a + b, 0)} requests, `
        + `${soak.pending.size} pending; pulls since last line ${window.length}, p50 ${pct(window, 50).toFixed(0)} ms, p95 ${pct(window, 95).toFixed(0)} ms; `
        + `server CPU ${(((cpu - lastCpu) / ((now - lastCpuAt) / 1000)) * 100).toFixed(0)}%, RSS ${MB(rssOf(soak.pid))}`);
      lastCpu = cpu;
      lastCpuAt = now;
    }
  }
  s.running = false;
  const ranMs = performance.now() - startedAt;

  // Every request must come back.
  await drain(soak, 0, 30_000);
  for (const r of soak.pending.values()) {
    s.fail(`no response to ${r.method} #${r.id} (${r.kind ?? r.method}${r.cancelled ? ', cancelled' : ''}) sent ${((performance.now() - r.sentAt) / 1000).toFixed(1)} s ago`);
  }
  for (const t of s.stats.progressBegun) if (!s.stats.progressEnded.has(t)) s.fail(`$/progress ${t} began but never ended`);
  const end = await memoryOf(soak, opts.gc);

  // The workspace back as it was (links, FIFOs, configs and huge files removed, and announced).
  s.mutations.revertAll();

  // Final state: default settings, every open document pulled twice (the second after a save, so that
  // each analysis sees the final text of every other document), compared with a fresh server.
  s.answerConfigWithErrors = false;
  s.settings = {};
  s.settingsEpoch++;
  soak.notify('workspace/didChangeConfiguration', { settings: { linger: {} } });
  const finalDocs = s.openDocs();
  await finalDiagnostics(s, soak, finalDocs, 'soak');
  soak.notify('textDocument/didSave', { textDocument: { uri: finalDocs[0].uri } });
  const soaked = await finalDiagnostics(s, soak, finalDocs, 'soak');

  const alive = soak.alive();
  if (!alive) s.fail(`the server died: ${JSON.stringify(soak.exit)}; stderr: ${soak.stderr.slice(-3000)}`);
  for (const line of soak.stderr.split('\n')) if (/unhandled|uncaught/i.test(line)) s.fail(`stderr: ${line.slice(0, 500)}`);
  for (const v of soak.violations) {
    // Responses to the frames we wrote by hand with made-up ids are not violations.
    s.fail(`protocol: ${v}`);
  }
  if (soak.malformedAnswered !== s.stats.malformedExpected) {
    s.fail(`malformed frames: ${s.stats.malformedExpected} should have been answered with a parse error, ${soak.malformedAnswered} were`);
  }
  if (alive) {
    const shut = await withTimeout(soak.request('shutdown').done, 10_000);
    if (!shut || shut.error) s.fail(`shutdown answered ${JSON.stringify(shut)}`);
    soak.notify('exit');
    const exit = await soak.waitExit(10_000);
    if (!exit) {
      s.fail('the server did not exit within 10 s of shutdown+exit');
      soak.kill();
    } else if (exit.code !== 0) s.fail(`the server exited with ${JSON.stringify(exit)} after shutdown+exit`);
  }

  const fresh = startServer('fresh', {
    ws: WS,
    gc: opts.gc,
    onRequest: (method, params) => (method === 'workspace/configuration' ? (params?.items ?? []).map(() => ({})) : method === 'window/showDocument' ? { success: true } : null),
  });
  await initialize(fresh, WS);
  for (const doc of finalDocs) fresh.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: doc.languageId, version: doc.version, text: doc.text } });
  await finalDiagnostics(s, fresh, finalDocs, 'fresh');
  fresh.notify('textDocument/didSave', { textDocument: { uri: finalDocs[0].uri } });
  const reference = await finalDiagnostics(s, fresh, finalDocs, 'fresh');
  await withTimeout(fresh.request('shutdown').done, 5000);
  fresh.notify('exit');
  if (!(await fresh.waitExit(5000))) fresh.kill();

  let equal = true;
  const mismatchDir = path.join(WS, '.mismatch');
  for (const doc of finalDocs) {
    const a = soaked.get(doc.uri);
    const b = reference.get(doc.uri);
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    equal = false;
    fs.mkdirSync(mismatchDir, { recursive: true });
    const file = path.join(mismatchDir, `${doc.name}${doc.name.includes('.') ? '' : '.ts'}`);
    fs.writeFileSync(file, doc.text);
    s.fail(`final diagnostics of ${doc.name} (v${doc.version}, text in ${file}) differ from a fresh server's:\n    soak:  ${a.join('\n           ')}\n    fresh: ${b.join('\n           ')}`);
  }

  // A leak is memory the server still holds after a full GC: the heap it uses. RSS also carries the
  // allocator's free pages, which vary with how the machine's load spread the work, so it gets a wider
  // guard (native leaks) and the heap the limit, when the server can report it.
  const ratio = end.rss / warm.rss;
  if (warm.heapUsed && end.heapUsed) {
    const heapRatio = end.heapUsed / warm.heapUsed;
    if (!(heapRatio <= opts.memoryRatio)) s.fail(`memory: heap used after a full GC at the end ${MB(end.heapUsed)} is ${heapRatio.toFixed(2)} x the ${MB(warm.heapUsed)} after warm-up (limit ${opts.memoryRatio} x)`);
    if (!(ratio <= 2 * opts.memoryRatio)) s.fail(`memory: RSS at the end ${MB(end.rss)} is ${ratio.toFixed(2)} x the ${MB(warm.rss)} after warm-up (limit ${2 * opts.memoryRatio} x)`);
  } else if (!(ratio <= opts.memoryRatio)) s.fail(`memory: RSS at the end ${MB(end.rss)} is ${ratio.toFixed(2)} x the ${MB(warm.rss)} after warm-up (limit ${opts.memoryRatio} x)`);
  printReport(s, { warm, end, ranMs, pending: soak.pending.size, alive, equal, finalDocs });
  if (opts.keep || s.failures.length) {
    const dir = path.join(WS, '.final');
    fs.mkdirSync(dir, { recursive: true });
    for (const doc of finalDocs) fs.writeFileSync(path.join(dir, `${doc.name}${doc.name.includes('.') ? '' : '.ts'}`), doc.text);
    console.log(`kept the workspace ${WS}; the final texts are in ${dir}`);
  } else {
    fs.rmSync(WS, { recursive: true, force: true });
    fs.rmSync(OUTSIDE, { recursive: true, force: true });
  }
  return s.failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`soak: ${e?.stack ?? e} (seed ${opts.seed})`);
    s.server?.kill();
    process.exit(1);
  },
);
