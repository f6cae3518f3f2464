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
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODES, RpcServer } from './soak/rpc.mjs';
import { Rng, SNIPPETS, applyChange, diffChange, editsToChanges, lineStarts, offsetAt, positionAt, randomEdit, rangeInside } from './soak/text.mjs';
import { bigText, WorkspaceMutations } from './soak/workspace.mjs';

// Only to steer the edits (undo when a document has stayed unparsable); never part of the oracle.
const ts = createRequire(import.meta.url)('typescript');

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const GC_HOOK = path.join(ROOT, 'scripts', 'soak', 'gc-hook.cjs');

// ---- Options ---------------------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`soak: ${message}`);
  console.error('usage: node scripts/soak.mjs [--seconds N] [--seed S] [--edits N] [--no-gc] [--keep] [--verbose] [--progress SECONDS] [--memory-ratio R] [--include-known-bugs]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { progressMs: 30_000, seconds: 60, seed: undefined, edits: undefined, gc: true, keep: false, verbose: false, memoryRatio: 1.5, knownBugs: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const num = () => {
      const v = Number(inline ?? argv[++i]);
      if (!Number.isFinite(v) || v < 0) usage(`${flag} needs a number`);
      return v;
    };
    switch (flag) {
      case '--seconds': o.seconds = num(); break;
      case '--seed': o.seed = Math.floor(num()); break;
      case '--edits': o.edits = Math.floor(num()); break;
      case '--memory-ratio': o.memoryRatio = num(); break;
      case '--progress': o.progressMs = num() * 1000; break;
      case '--no-gc': o.gc = false; break;
      case '--include-known-bugs': o.knownBugs = true; break;
      case '--tolerate-fixed-bugs': o.knownBugs = false; break;
      case '--keep': o.keep = true; break;
      case '--verbose': o.verbose = true; break;
      case '--help': case '-h': usage(); break;
      default: usage(`unknown option ${argv[i]}`);
    }
  }
  o.seed ??= Date.now() % 1_000_000_007;
  o.edits ??= Math.max(1, Math.round((10_000 * o.seconds) / 60));
  return o;
}

const opts = parseArgs(process.argv.slice(2));
if (!fs.existsSync(SERVER)) {
  console.error('soak: dist/server.js is missing; run npm run build (npm run soak does)');
  process.exit(2);
}
const rng = new Rng(opts.seed);
const failures = [];
const fail = (what) => {
  if (failures.length < 200) failures.push(what);
  if (opts.verbose) console.error(`FAIL ${what}`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tick = () => new Promise((r) => setImmediate(r));

// ---- The workspace -----------------------------------------------------------------------------

const WS = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-soak-')));
fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'lsp', 'workspace'), path.join(WS, 'app'), { recursive: true });
fs.cpSync(path.join(ROOT, 'examples'), path.join(WS, 'examples'), { recursive: true, filter: (src) => !src.includes('node_modules') });
const uriOf = (file) => pathToFileURL(file).href;
const WS_URI = uriOf(WS);
/** Next to the workspace: what its links point to, never to be read (scripts/soak/workspace.mjs). */
const OUTSIDE = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-soak-outside-')));
let mutations;

/** Documents: the files of the copy, a JS file that exists only in the editor, an untitled buffer. */
const docs = [];
function addDoc(uri, languageId, original, onDisk) {
  docs.push({ uri, languageId, original, onDisk, text: original, version: 0, open: false, lastPull: undefined, lastReport: undefined, name: uri.slice(uri.lastIndexOf('/') + 1) });
}
for (const dir of ['app/src', 'examples/src']) {
  for (const f of fs.readdirSync(path.join(WS, dir)).sort()) {
    const file = path.join(WS, dir, f);
    addDoc(uriOf(file), f.endsWith('.js') ? 'javascript' : 'typescript', fs.readFileSync(file, 'utf8'), true);
  }
}
addDoc(uriOf(path.join(WS, 'examples', 'src', 'scratch.js')), 'javascript',
  "const net = require('net');\n\nfunction ping(host) {\n  const s = net.connect(7, host);\n  s.write('x');\n}\n\nmodule.exports = { ping };\n", false);
addDoc('untitled:Untitled-1', 'typescript',
  "import * as net from 'net';\n\nexport async function probe(port: number) {\n  const socket = net.connect(port);\n  if (port > 1000) return false;\n  socket.end();\n  return true;\n}\n", false);

// ---- Settings the client answers workspace/configuration with ----------------------------------

const RULES = ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection', 'listen-without-reuseaddr', 'fixed-local-port',
  'connection-churn', 'half-open-socket', 'timeout-without-destroy', 'missing-keepalive'];
const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];
let settings = {};
let settingsEpoch = 0;
/** Per-epoch: may the results of this epoch be checked against the text pulled? (not in `run: onSave`) */
let configErrors = 0;
let answerConfigWithErrors = true;

function randomSettings() {
  switch (rng.weighted({ default: 3, ruleOff: 3, rules: 2, disable: 1, onSave: 1, exclude: 1, budget: 0.5, size: 0.5, invalid: 1 })) {
    case 'default': return {};
    case 'ruleOff': return { rules: { [rng.pick(RULES)]: 'off' } };
    case 'rules': return { rules: Object.fromEntries(RULES.filter(() => rng.chance(0.4)).map((r) => [r, rng.pick(SEVERITIES)])) };
    case 'disable': return { enable: false };
    case 'onSave': return { run: 'onSave' };
    case 'exclude': return { exclude: [rng.pick(['examples/**', '**/*.js', 'app/src/users.ts', '**/probe.*'])] };
    case 'budget': return { timeBudgetMs: 1 };
    case 'size': return { maxFileSize: 300 };
    default: return { rules: 'everything', exclude: [1, null], run: 'sometimes', timeBudgetMs: -5, maxFileSize: 'big', enable: 'yes' };
  }
}

function configurationAnswer(params) {
  if (answerConfigWithErrors && rng.chance(0.03)) {
    configErrors++;
    return { __error: { code: CODES.InternalError, message: 'soak: configuration unavailable' } };
  }
  const items = Array.isArray(params?.items) ? params.items : [];
  return items.map((item) => (item?.section === 'linger' || item?.section === undefined ? structuredClone(settings) : null));
}

// ---- Server processes ----------------------------------------------------------------------------

const logs = [];
const stats = {
  requests: {}, notifications: {}, answered: 0, cancelledByClient: 0, requestCancelled: 0, serverCancelled: 0, contentModified: 0,
  expectedErrors: 0, unexpectedErrors: 0, lost: 0, edits: 0, editKinds: {}, staleVersionsSent: 0, fixesApplied: 0, fixAllApplied: 0,
  malformedFrames: 0, malformedExpected: 0, workspaceMutations: 0, hugeDocuments: 0, opens: 0, closes: 0, saves: 0, configChanges: 0, audits: 0, refreshes: 0, serverRequests: {}, pullLatencies: [],
  knownBugHits: {}, pullsOfParsingText: 0, reportsWithFindings: 0, progressBegun: new Set(), progressEnded: new Set(), rssSamples: [],
};
const count = (obj, key) => (obj[key] = (obj[key] ?? 0) + 1);

function startServer(label, onRequest) {
  const memFile = path.join(WS, `.mem-${label}.json`);
  const argv = opts.gc ? ['--expose-gc', '--require', GC_HOOK, SERVER, '--stdio'] : [SERVER, '--stdio'];
  const server = new RpcServer(label, argv, {
    cwd: WS,
    env: { ...process.env, LINGER_SOAK_MEMFILE: memFile },
    onRequest,
    onNotification: (method, params) => {
      if (label !== 'soak') return;
      count(stats.notifications, method);
      if (method === 'window/logMessage' || method === 'window/showMessage') {
        const m = String(params?.message ?? '');
        logs.push(m);
        if (logs.length > 400) logs.splice(0, 200);
        if (/uncaught|unhandled/i.test(m)) fail(`the server logged an uncaught error: ${m.slice(0, 1500)}`);
        else if (/\bfailed: /.test(m)) fail(`a handler failed inside the server: ${m.slice(0, 1500)}`);
      } else if (method === '$/progress') {
        const kind = params?.value?.kind;
        if (kind === 'begin') stats.progressBegun.add(String(params.token));
        if (kind === 'end') stats.progressEnded.add(String(params.token));
      }
    },
  });
  server.memFile = memFile;
  return server;
}

async function initialize(server) {
  const init = server.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'linger-soak' },
    rootUri: WS_URI,
    workspaceFolders: [{ uri: WS_URI, name: path.basename(WS) }],
    locale: 'en',
    initializationOptions: { status: true },
    capabilities: {
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: {
          dataSupport: true,
          resolveSupport: { properties: ['edit'] },
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
        },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
        diagnostics: { refreshSupport: true },
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
    },
  });
  const r = await withTimeout(init.done, 30_000);
  if (!r?.result?.capabilities) throw new Error(`${server.label}: initialize failed: ${JSON.stringify(r).slice(0, 500)}; stderr: ${server.stderr.slice(-2000)}`);
  server.notify('initialized', {});
}

function withTimeout(promise, ms) {
  return Promise.race([promise, sleep(ms).then(() => undefined)]);
}

/** VmRSS of a process, in bytes (Linux); undefined elsewhere. */
function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used (Linux). */
function cpuOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** Memory of the server after a full GC (when the hook is loaded), else as it is. */
async function memoryOf(server) {
  if (opts.gc && server.alive()) {
    fs.rmSync(server.memFile, { force: true });
    server.proc.kill('SIGUSR2');
    for (let i = 0; i < 100 && !fs.existsSync(server.memFile); i++) await sleep(50);
    await sleep(100);
    try {
      const m = JSON.parse(fs.readFileSync(server.memFile, 'utf8'));
      return { rss: rssOf(server.pid) ?? m.rss, heapUsed: m.heapUsed };
    } catch {
      /* the hook did not answer: fall through */
    }
  }
  return { rss: rssOf(server.pid) ?? 0, heapUsed: undefined };
}

// ---- The soaked server ---------------------------------------------------------------------------

let soak;
const pendingAudits = new Set();

function onSoakRequest(method, params) {
  count(stats.serverRequests, method);
  switch (method) {
    case 'workspace/configuration': {
      const late = rng.chance(0.1) ? rng.int(40) : 0;
      // The answer is computed when it is sent (like VS Code), so a late answer has the newest settings.
      return late ? sleep(late).then(() => configurationAnswer(params)) : configurationAnswer(params);
    }
    case 'workspace/diagnostic/refresh':
      // Like VS Code: pull every open document again.
      stats.refreshes++;
      setImmediate(() => {
        if (running) for (const d of docs.filter((x) => x.open)) pull(d);
      });
      return null;
    case 'window/showDocument':
      return { success: true };
    default:
      return null; // client/registerCapability, window/workDoneProgress/create, window/showMessageRequest
  }
}

/** Send a request and track it: kind for the statistics, `expect` for the oracle. */
function request(method, params, extra = {}) {
  count(stats.requests, extra.kind ?? method);
  const record = soak.request(method, params, extra);
  record.done.then((r) => judge(record, r));
  return record;
}

const ERROR_NAMES = Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, k]));

/** Classify a response; anything unexpected is a failure. */
function judge(record, r) {
  if (record.cancelled) stats.cancelledByClient++;
  if (r.lost) {
    stats.lost++;
    return;
  }
  stats.answered++;
  const expect = record.expect ?? 'ok';
  if (r.error) {
    const code = r.error.code;
    if (code === CODES.RequestCancelled) {
      stats.requestCancelled++;
      if (!record.cancelled) fail(`${record.method} #${record.id} answered RequestCancelled but the client never cancelled it`);
      return;
    }
    if (code === CODES.ServerCancelled || code === CODES.ContentModified) {
      if (code === CODES.ServerCancelled) stats.serverCancelled++;
      else stats.contentModified++;
      if (record.method !== 'textDocument/diagnostic' && record.method !== 'linger/audit') {
        fail(`${record.method} #${record.id} answered ${ERROR_NAMES[code]}, which only pulls may answer`);
      }
      return;
    }
    if ((expect === 'methodNotFound' && code === CODES.MethodNotFound) || (expect === 'invalidParams' && code === CODES.InvalidParams) || expect === 'any') {
      stats.expectedErrors++;
      return;
    }
    stats.unexpectedErrors++;
    fail(`${record.method} #${record.id} (${record.kind ?? record.method}) answered the error ${JSON.stringify(r.error).slice(0, 400)}`);
    return;
  }
  if (expect === 'methodNotFound' || expect === 'invalidParams') {
    fail(`${record.method} #${record.id} (${record.kind}) should have failed with ${expect} but answered ${JSON.stringify(r.result).slice(0, 300)}`);
    return;
  }
  record.check?.(r.result);
}

let running = false;
let lastEditAt = 0;

/** Does the text parse? Random edits break most files; the driver undoes back to the last text that parsed. */
function track(doc) {
  const sf = ts.createSourceFile(doc.languageId === 'javascript' ? 'a.js' : 'a.ts', doc.text, ts.ScriptTarget.Latest, false,
    doc.languageId === 'javascript' ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  doc.parses = !sf.parseDiagnostics?.length;
  if (doc.parses) doc.lastGood = doc.text;
}

function openDoc(doc, text = doc.original, version = 1) {
  doc.text = text;
  track(doc);
  doc.version = version;
  doc.open = true;
  doc.lastReport = undefined;
  stats.opens++;
  soak.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: doc.languageId, version, text } });
}

function closeDoc(doc) {
  doc.open = false;
  stats.closes++;
  soak.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
}

/** Send one didChange (a valid one: the next version) and apply it to our copy. */
function change(doc, changes, kind) {
  const skip = rng.chance(0.02) ? 2 + rng.int(5) : 1; // versions may jump; they must only increase
  doc.version += skip;
  for (const c of changes) doc.text = applyChange(doc.text, c);
  track(doc);
  soak.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: changes });
  stats.edits++;
  count(stats.editKinds, kind);
  lastEditAt = performance.now();
}

/** A diagnostic pull of `doc`; the result is checked against the text of the version pulled. */
function pull(doc, { previous = rng.chance(0.3), kind = 'textDocument/diagnostic' } = {}) {
  const version = doc.version;
  const text = doc.text;
  const epoch = settingsEpoch;
  const onSave = settings.run === 'onSave';
  if (doc.parses) stats.pullsOfParsingText++;
  const previousResultId = previous ? doc.lastReport?.resultId : undefined;
  const record = request('textDocument/diagnostic', { textDocument: { uri: doc.uri }, ...(previousResultId ? { previousResultId } : {}) }, {
    kind,
    check: (result) => {
      stats.pullLatencies.push(record.latencyMs);
      if (result?.kind === 'unchanged') {
        if (!previousResultId || result.resultId !== previousResultId) fail(`pull #${record.id} of ${doc.name}: "unchanged" for resultId ${result.resultId} but the client sent ${previousResultId}`);
        return;
      }
      if (result?.kind !== 'full' || !Array.isArray(result.items)) {
        fail(`pull #${record.id} of ${doc.name}: not a report: ${JSON.stringify(result).slice(0, 300)}`);
        return;
      }
      // In `run: onSave` (or when settings changed meanwhile) the server may show an older version's result.
      const checkable = !onSave && epoch === settingsEpoch && settings.run !== 'onSave';
      const starts = lineStarts(text);
      for (const d of result.items) {
        if (typeof d?.message !== 'string' || (typeof d.code !== 'string' && typeof d.code !== 'number') || !d.range) {
          fail(`pull #${record.id} of ${doc.name}: malformed diagnostic ${JSON.stringify(d).slice(0, 300)}`);
        } else if (checkable && !rangeInside(text, d.range, starts)) {
          fail(`pull #${record.id} of ${doc.name} v${version}: diagnostic ${d.code} at ${JSON.stringify(d.range)} is outside the text (${starts.length} lines)`);
        }
      }
      if (result.items.some((d) => d.source === 'linger' && d.code !== 'skipped')) stats.reportsWithFindings++;
      if (doc.open && doc.version === version) doc.lastReport = { version, items: result.items, resultId: result.resultId };
    },
  });
  record.docUri = doc.uri;
  doc.lastPull = record;
  return record;
}

/** Check that the edits of a workspace edit lie inside the text they are for; returns {uri: edits[]}. */
function editsOf(edit, context) {
  const out = {};
  if (!edit) return out;
  for (const dc of edit.documentChanges ?? []) {
    if (!dc?.textDocument?.uri || !Array.isArray(dc.edits)) {
      fail(`${context}: malformed documentChanges entry ${JSON.stringify(dc).slice(0, 300)}`);
      continue;
    }
    out[dc.textDocument.uri] = { version: dc.textDocument.version, edits: dc.edits };
  }
  for (const [uri, list] of Object.entries(edit.changes ?? {})) out[uri] = { version: undefined, edits: list };
  for (const [uri, { version, edits }] of Object.entries(out)) {
    const doc = docs.find((d) => d.uri === uri);
    if (!doc || !doc.open || (version !== undefined && version !== null && version !== doc.version)) continue;
    for (const e of edits) {
      if (typeof e?.newText === 'string' && rangeInside(doc.text, e.range)) continue;
      // Known bug (test/robustness/soak.test.ts): "Ignore on this line" is built from the line of the
      // diagnostic the client sends, even one of an older version (`run: onSave` shows those by design).
      if (!opts.knownBugs && /Ignore on this line|ignoreComment/.test(context) && typeof e?.newText === 'string') {
        count(stats.knownBugHits, 'ignore-action-at-a-stale-line');
        continue;
      }
      fail(`${context}: an edit outside ${doc.name} v${doc.version}: ${JSON.stringify(e).slice(0, 300)}`);
    }
  }
  return out;
}

/** Apply the part of a workspace edit for `doc`, if it was made for its current version. */
function applyWorkspaceEdit(doc, edit, kind) {
  const forDoc = editsOf(edit, kind)[doc.uri];
  if (!forDoc || !forDoc.edits.length) return false;
  if (forDoc.version !== undefined && forDoc.version !== null && forDoc.version !== doc.version) return false; // VS Code refuses stale edits
  change(doc, editsToChanges(doc.text, forDoc.edits), kind);
  return true;
}

// ---- Actions -------------------------------------------------------------------------------------

const openDocs = () => docs.filter((d) => d.open);
const pendingRecords = () => [...soak.pending.values()];

const ACTIONS = {
  edit: 50, pull: 10, codeActionFlow: 3, codeAction: 4, hover: 6, cancel: 4, config: 0.6, openClose: 1, save: 1,
  unknownDocument: 0.8, staleVersion: 0.8, malformed: 0.6, unknownMethod: 0.4, invalidParams: 0.6, audit: 0.15,
  exportReport: 0.1, explain: 0.15, watchedFiles: 0.1, workspace: 0.3, hugeDocument: 0.08,
};

async function editAction() {
  const doc = rng.pick(openDocs());
  if (!doc.parses && doc.lastGood !== undefined && rng.chance(0.4)) {
    change(doc, [diffChange(doc.text, doc.lastGood)], 'undo');
    afterEdit(doc);
    return;
  }
  const e = randomEdit(rng, doc.text, doc.original);
  if (e.kind !== 'type') {
    change(doc, e.changes, e.kind);
    afterEdit(doc);
    return;
  }
  // Typing: one didChange per character, a pull after some of them that the next keystroke cancels.
  let at = offsetAt(doc.text, { line: e.line, character: e.at });
  for (const ch of e.chars) {
    if (!doc.open || !budgetLeft()) return;
    const p = positionAt(doc.text, at);
    change(doc, [{ range: { start: p, end: p }, text: ch }], 'type');
    at += ch.length;
    afterEdit(doc);
    if (rng.chance(0.3)) await sleep(rng.int(15));
    else await tick();
  }
}

function afterEdit(doc) {
  if (rng.chance(0.5)) {
    if (doc.lastPull && soak.pending.has(doc.lastPull.id) && rng.chance(0.7)) soak.cancel(doc.lastPull);
    pull(doc);
  }
}

async function codeActionFlow() {
  const doc = rng.pick(openDocs());
  // Bounded waits: a request that never comes back is reported at the end, it must not stall the run.
  const r = await withTimeout(pull(doc, { previous: false, kind: 'pull (for code actions)' }).done, 60_000);
  if (!r?.result || r.result.kind !== 'full' || !doc.open) return;
  const diags = r.result.items.filter((d) => d.source === 'linger');
  const d = diags.length ? rng.pick(diags) : undefined;
  const only = rng.weighted({ none: 3, quickfix: 1, fixAll: 1 });
  const sent = d && rng.chance(0.3) ? { ...d, data: undefined } : d; // a client without dataSupport
  const params = {
    textDocument: { uri: doc.uri },
    range: d?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: sent ? [sent] : [], triggerKind: 1, ...(only === 'quickfix' ? { only: ['quickfix'] } : only === 'fixAll' ? { only: ['source.fixAll.linger'] } : {}) },
  };
  const version = doc.version;
  const rec = request('textDocument/codeAction', params, { kind: 'codeAction (flow)', check: (actions) => checkActions(actions, doc, 'codeAction') });
  const res = await withTimeout(rec.done, 60_000);
  if (!Array.isArray(res?.result) || !doc.open || doc.version !== version) return;
  const withEdit = res.result.filter((a) => a.edit && a.title !== 'Ignore on this line');
  const fixAll = res.result.find((a) => a.kind === 'source.fixAll.linger' && a.data);
  if (fixAll && rng.chance(0.5)) {
    const resolved = await withTimeout(request('codeAction/resolve', fixAll, { kind: 'codeAction/resolve', check: (a) => checkActions([a], doc, 'codeAction/resolve') }).done, 60_000);
    if (resolved?.result?.edit && doc.open && doc.version === version && applyWorkspaceEdit(doc, resolved.result.edit, 'fixAll')) stats.fixAllApplied++;
  } else if (withEdit.length && rng.chance(0.6)) {
    if (applyWorkspaceEdit(doc, rng.pick(withEdit).edit, 'fix')) stats.fixesApplied++;
  } else if (rng.chance(0.2)) {
    const ignore = res.result.find((a) => a.title === 'Ignore on this line');
    if (ignore) applyWorkspaceEdit(doc, ignore.edit, 'ignoreComment');
  }
  if (doc.open && doc.version !== version) afterEdit(doc);
}

function checkActions(actions, doc, context) {
  if (!Array.isArray(actions)) {
    fail(`${context} on ${doc.name}: not an array: ${JSON.stringify(actions).slice(0, 300)}`);
    return;
  }
  for (const a of actions) {
    if (typeof a?.title !== 'string') fail(`${context} on ${doc.name}: an action without a title: ${JSON.stringify(a).slice(0, 300)}`);
    else if (a.edit) editsOf(a.edit, `${context} "${a.title}" on ${doc.name}`);
  }
}

function codeActionAction() {
  // Quick code actions with whatever diagnostics we last saw (often stale), as the lightbulb asks.
  const doc = rng.pick(openDocs());
  const items = doc.lastReport?.items ?? [];
  const d = items.length ? rng.pick(items) : undefined;
  const lines = lineStarts(doc.text).length;
  const line = rng.int(lines);
  request('textDocument/codeAction', {
    textDocument: { uri: doc.uri },
    range: d?.range ?? { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: d ? [d] : [], triggerKind: 2 },
  }, { kind: 'textDocument/codeAction', check: (actions) => checkActions(actions, doc, 'codeAction') });
}

function hoverAction() {
  const doc = rng.pick(openDocs());
  let position;
  const hits = [...doc.text.matchAll(/\b(listen|connect|createServer|createConnection|get|bind|request|createSocket)\b/g)];
  if (hits.length && rng.chance(0.6)) position = positionAt(doc.text, rng.pick(hits).index + 1);
  else if (rng.chance(0.05)) position = { line: 100_000, character: 3 };
  else position = positionAt(doc.text, rng.int(doc.text.length + 1));
  request('textDocument/hover', { textDocument: { uri: doc.uri }, position }, {
    check: (h) => {
      if (h !== null && (typeof h?.contents?.value !== 'string')) fail(`hover on ${doc.name}: unexpected ${JSON.stringify(h).slice(0, 300)}`);
    },
  });
}

function cancelAction() {
  const candidates = pendingRecords().filter((r) => !r.cancelled && r.method !== 'shutdown');
  if (candidates.length) soak.cancel(rng.pick(candidates));
}

function configAction() {
  settings = randomSettings();
  settingsEpoch++;
  stats.configChanges++;
  // VS Code sends the section's values; other clients send null and let the server ask.
  soak.notify('workspace/didChangeConfiguration', { settings: rng.chance(0.5) ? { linger: settings } : null });
}

function openCloseAction() {
  const open = openDocs();
  const closed = docs.filter((d) => !d.open);
  if (closed.length && (open.length <= 3 || rng.chance(0.5))) {
    const doc = rng.pick(closed);
    // Reopened as on disk, or with the text it had (an editor restoring a dirty buffer).
    openDoc(doc, rng.chance(0.5) ? doc.original : doc.text, 1 + rng.int(3));
    if (rng.chance(0.7)) pull(doc);
  } else if (open.length > 3) {
    const doc = rng.pick(open);
    if (doc.lastPull && soak.pending.has(doc.lastPull.id) && rng.chance(0.5)) soak.cancel(doc.lastPull);
    closeDoc(doc);
    if (rng.chance(0.3)) {
      // Closed and reopened at once (an editor reloading the file).
      openDoc(doc, doc.text, 1);
      pull(doc);
    }
  }
}

function saveAction() {
  const doc = rng.pick(openDocs());
  stats.saves++;
  soak.notify('textDocument/didSave', { textDocument: { uri: doc.uri } });
}

function unknownDocumentAction() {
  const uri = uriOf(path.join(WS, 'app', 'src', `never-opened-${rng.int(5)}.ts`));
  const closed = docs.find((d) => !d.open);
  const target = closed && rng.chance(0.3) ? closed.uri : uri;
  switch (rng.int(6)) {
    case 0:
      request('textDocument/diagnostic', { textDocument: { uri: target } }, {
        kind: 'diagnostic (unknown document)',
        check: (r) => {
          if (r?.kind !== 'full' || r.items?.length !== 0) fail(`pull of a document that is not open (${target}): ${JSON.stringify(r).slice(0, 300)}`);
        },
      });
      break;
    case 1:
      request('textDocument/hover', { textDocument: { uri: target }, position: { line: 0, character: 0 } }, {
        kind: 'hover (unknown document)', check: (r) => r !== null && fail(`hover on a document that is not open: ${JSON.stringify(r).slice(0, 300)}`),
      });
      break;
    case 2:
      request('textDocument/codeAction', { textDocument: { uri: target }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }, {
        kind: 'codeAction (unknown document)',
        check: (r) => (!Array.isArray(r) || r.length) && fail(`code actions on a document that is not open: ${JSON.stringify(r).slice(0, 300)}`),
      });
      break;
    case 3:
      soak.notify('textDocument/didChange', { textDocument: { uri: target, version: 5 }, contentChanges: [{ text: 'const s = net.connect(1);' }] });
      count(stats.notifications, 'didChange (unknown document)');
      break;
    case 4:
      soak.notify('textDocument/didClose', { textDocument: { uri: target } });
      count(stats.notifications, 'didClose (unknown document)');
      break;
    default:
      soak.notify('textDocument/didSave', { textDocument: { uri: target } });
      count(stats.notifications, 'didSave (unknown document)');
  }
}

function staleVersionAction() {
  // A change with a version that is not newer: the server must ignore it (our copy does not change,
  // and the final comparison shows whether the server's did).
  const doc = rng.pick(openDocs());
  const version = rng.chance(0.5) ? doc.version : Math.max(0, doc.version - 1 - rng.int(5));
  stats.staleVersionsSent++;
  const changes = rng.chance(0.5)
    ? [{ text: '// stale full text\nconst s = net.connect(1);\n' }]
    : [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `${rng.pick(SNIPPETS)}\n` }];
  soak.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version }, contentChanges: changes });
}

/** Frames a broken client could send; each entry: body (and extra headers) and, for requests, the error expected. */
function malformedAction() {
  stats.malformedFrames++;
  const doc = rng.pick(openDocs());
  const id = soak.nextId; // for frames that are requests: tracked like ours
  // Each of these must be answered with a parse error or an invalid request for id null (counted).
  const answered = (write) => () => {
    stats.malformedExpected++;
    write();
  };
  const frames = [
    answered(() => soak.writeFrame('{"jsonrpc":"2.0","id":')),
    answered(() => soak.writeFrame('this is not json')),
    answered(() => soak.writeFrame(rng.pick(['42', '"a string"', 'null', 'true', '[]', '[1,2,3]']))),
    () => soak.writeFrame('{}'),
    // Broken headers: no Content-Length, a negative or non-numeric one. The server answers and
    // resumes at the next header (the frames that follow are still served).
    answered(() => soak.writeRaw('Content-Type: application/vscode-jsonrpc\r\n\r\n{"jsonrpc":"2.0","method":"initialized","params":{}}')),
    answered(() => soak.writeRaw(`Content-Length: ${rng.pick(['-1', '-52', 'twelve', '1e3', ''])}\r\n\r\n{"jsonrpc":"2.0","method":"initialized","params":{}}`)),
    () => soak.writeFrame('\uFEFF{"jsonrpc":"2.0","method":"textDocument/didSave","params":{}}'),
    () => soak.writeFrame('{"jsonrpc":"2.0","method":42}'),
    () => soak.writeFrame('{"jsonrpc":"2.0","id":{"x":1},"method":"textDocument/hover","params":{}}'),
    () => soak.writeFrame('{"jsonrpc":"2.0","id":987654321,"result":{"unsolicited":true}}'),
    () => soak.writeFrame('{"jsonrpc":"2.0","id":987654322,"error":{"code":-1,"message":"nobody asked"}}'),
    answered(() => soak.writeFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))),
    () => soak.writeFrame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didSave', params: { textDocument: { uri: doc.uri } } }), { 'Content-Type': 'application/vscode-jsonrpc; charset=utf-8' }),
    () => rawRequest(id, 'textDocument/hover', undefined, 'invalidParams'),
    () => rawRequest(id, 'textDocument/hover', [{ textDocument: { uri: doc.uri } }, { line: 0, character: 0 }], 'invalidParams'),
    () => rawRequest(id, 'textDocument/diagnostic', 'just a string', 'any'),
  ];
  rng.pick(frames)();
}

/** A request written by hand (params absent or by position), tracked like any other. */
function rawRequest(id, method, params, expect) {
  soak.nextId = id + 1;
  count(stats.requests, `${method} (malformed)`);
  let resolve;
  const done = new Promise((r) => (resolve = r));
  const record = { id, method, kind: `${method} (malformed)`, sentAt: performance.now(), resolve, done, cancelled: false, expect };
  soak.pending.set(id, record);
  record.done.then((r) => judge(record, r));
  soak.writeFrame(JSON.stringify(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }));
}

function unknownMethodAction() {
  if (rng.chance(0.6)) {
    request(rng.pick(['linger/noSuchThing', 'textDocument/semanticTokens/full', 'workspace/symbol', 'textDocument/formatting']), { textDocument: { uri: rng.pick(docs).uri } }, { kind: 'unknown method', expect: 'methodNotFound' });
  } else {
    soak.notify(rng.pick(['linger/noSuchNotification', '$/setTrace', '$/somethingOptional', 'textDocument/willSave']), { value: 1 });
    count(stats.notifications, 'unknown notification');
  }
}

function invalidParamsAction() {
  const doc = rng.pick(openDocs());
  const cases = [
    ['textDocument/hover', {}, 'invalidParams'],
    ['textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: -1 } }, 'invalidParams'],
    ['textDocument/codeAction', { textDocument: 42 }, 'invalidParams'],
    ['textDocument/diagnostic', { textDocument: null }, 'invalidParams'],
    ['workspace/executeCommand', { command: 'linger.server.explain', arguments: ['nope'] }, 'invalidParams'],
    ['workspace/executeCommand', { command: 'rm -rf /' }, 'invalidParams'],
    ['textDocument/codeAction', { textDocument: { uri: doc.uri }, range: 'x', context: 7 }, 'ok'],
    ['codeAction/resolve', { title: 'x', data: { fixAll: true, uri: 3 } }, 'ok'],
    ['codeAction/resolve', { title: 'stale fix-all', kind: 'source.fixAll.linger', data: { fixAll: true, uri: doc.uri, version: -1 } }, 'ok'],
    ['linger/audit', { uris: [42, 'file:///definitely/not/here'] }, 'ok'],
    ['linger/exportReport', { format: 'pdf' }, 'any'],
  ];
  const [method, params, expect] = rng.pick(cases);
  request(method, params, { kind: `${method} (bad params)`, expect });
  const notes = [
    ['textDocument/didOpen', { textDocument: { uri: 5 } }],
    ['textDocument/didOpen', null],
    ['textDocument/didChange', { contentChanges: 'all of them' }],
    ['textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version + 1 }, contentChanges: [{ range: 'bad' }] }],
    ['textDocument/didClose', {}],
    ['workspace/didChangeWatchedFiles', { changes: [{ uri: 7 }, null] }],
    ['workspace/didChangeConfiguration', { settings: { linger: { rules: 'everything', exclude: [1, 2], run: 'sometimes', timeBudgetMs: -5 } } }],
  ];
  if (opts.knownBugs) {
    // Inputs that trip the known bugs of test/robustness/soak.test.ts (off by default so that CI
    // tests everything else): a didChange whose second change is malformed is half-applied under
    // the old version; a second didOpen at the same version keeps the previous text's analysis.
    notes.push(['textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version + 1 }, contentChanges: [{ text: '// half-applied\n' }, { range: null, text: 'x' }] }]);
    if (rng.chance(0.3)) {
      openDoc(doc, doc.original, doc.version); // no didClose first; our copy takes the new text, as the server's store does
      pull(doc);
    }
  }
  if (rng.chance(0.5)) {
    const [m, p] = rng.pick(notes);
    // The didChange with a malformed change keeps the version unused: the server must ignore it whole.
    soak.notify(m, p);
    count(stats.notifications, `${m} (bad params)`);
    if (m === 'workspace/didChangeConfiguration') settingsEpoch++;
  }
}

let auditCount = 0;
function auditAction() {
  if (pendingAudits.size) return;
  stats.audits++;
  const token = `soak-audit-${++auditCount}`;
  const params = rng.chance(0.5) ? { workDoneToken: token } : rng.chance(0.5) ? { uris: [uriOf(path.join(WS, 'examples'))] } : {};
  const rec = request('linger/audit', params, {
    check: (r) => {
      if (!Array.isArray(r?.findings) || typeof r.files !== 'number') fail(`linger/audit: unexpected result ${JSON.stringify(r).slice(0, 300)}`);
    },
  });
  pendingAudits.add(rec);
  rec.done.then(() => pendingAudits.delete(rec));
  if (rng.chance(0.5)) setTimeout(() => soak.cancel(rec), rng.int(300));
}

function exportAction() {
  request('linger/exportReport', { format: rng.pick(['sarif', 'markdown']) }, {
    check: (r) => (r === null || typeof r !== 'object') && fail(`linger/exportReport: ${JSON.stringify(r).slice(0, 200)}`),
  });
}

function explainAction() {
  request('workspace/executeCommand', { command: 'linger.server.explain', arguments: [rng.pick(['close-wait', 'time-wait'])] });
}

function watchedFilesAction() {
  const file = rng.pick(['app/tsconfig.json', 'examples/tsconfig.json', 'app/package.json', 'app/src/clean.ts', 'examples/.lingerrc.json']);
  soak.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(WS, file)), type: 2 }] });
  count(stats.notifications, 'workspace/didChangeWatchedFiles');
}

const RUN = {
  edit: editAction, pull: () => pull(rng.pick(openDocs())), codeActionFlow, codeAction: codeActionAction, hover: hoverAction,
  cancel: cancelAction, config: configAction, openClose: openCloseAction, save: saveAction, unknownDocument: unknownDocumentAction,
  staleVersion: staleVersionAction, malformed: malformedAction, unknownMethod: unknownMethodAction, invalidParams: invalidParamsAction,
  audit: auditAction, exportReport: exportAction, explain: explainAction, watchedFiles: watchedFilesAction,
  workspace: () => { stats.workspaceMutations++; mutations.mutate(); }, hugeDocument: hugeDocumentAction,
};

/** A huge document (over the size cap, or just under it) opened, typed into, hovered, pulled, closed. */
async function hugeDocumentAction() {
  stats.hugeDocuments++;
  const uri = uriOf(path.join(WS, 'app', 'src', `huge-document-${stats.hugeDocuments}.ts`));
  const over = rng.chance(0.5);
  let text = bigText(over ? 2_500_000 : 800_000);
  soak.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  for (let version = 2; version <= 4; version++) {
    text += `// typed ${version}\n`;
    soak.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }
  request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 16 } }, { kind: 'hover (huge document)' });
  const rec = request('textDocument/diagnostic', { textDocument: { uri } }, {
    kind: 'pull (huge document)',
    check: (r) => over && r?.items?.length && fail(`a document over the size cap got diagnostics: ${JSON.stringify(r.items[0]).slice(0, 300)}`),
  });
  await withTimeout(rec.done, 60_000);
  soak.notify('textDocument/didClose', { textDocument: { uri } });
}

// ---- The run -------------------------------------------------------------------------------------

let startedAt = 0;
const budgetLeft = () => stats.edits < opts.edits && performance.now() - startedAt < opts.seconds * 1000 && soak.alive();

/** Wait until fewer than `n` requests are pending, or `ms` pass (a request that never comes back is reported at the end). */
async function drain(n, ms) {
  const deadline = performance.now() + ms;
  while (soak.pending.size > n && performance.now() < deadline && soak.alive()) await sleep(5);
}

function pct(list, p) {
  if (!list.length) return NaN;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const MB = (b) => (b === undefined ? 'n/a' : `${(b / 1048576).toFixed(1)} MB`);
const keyOf = (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`;

/** Pull every open document of `server` until each gives a full report; returns uri -> sorted keys. */
async function finalDiagnostics(server, list, label) {
  const out = new Map();
  for (const doc of list) {
    let keys;
    for (let attempt = 0; attempt < 5 && !keys; attempt++) {
      const rec = server.request('textDocument/diagnostic', { textDocument: { uri: doc.uri } });
      const r = await withTimeout(rec.done, 60_000);
      if (!r) fail(`${label}: the final pull of ${doc.name} got no answer in 60 s`);
      else if (r.result?.kind === 'full') keys = r.result.items.map(keyOf).sort();
      else if (r.error?.code !== CODES.ServerCancelled) fail(`${label}: the final pull of ${doc.name} answered ${JSON.stringify(r).slice(0, 300)}`);
      if (!r) break;
    }
    out.set(doc.uri, keys ?? ['<no report>']);
  }
  return out;
}

async function main() {
  console.log(`soak: seed ${opts.seed}, ${opts.seconds} s, up to ${opts.edits} edits; server ${path.relative(ROOT, SERVER)}${opts.gc ? ' (GC hook preloaded)' : ''}; workspace ${WS}`);
  soak = startServer('soak', onSoakRequest);
  await initialize(soak);
  mutations = new WorkspaceMutations(WS, OUTSIDE, rng, (method, params) => soak.notify(method, params));

  // Warm-up: every document opened and pulled twice.
  for (const doc of docs) openDoc(doc);
  for (let round = 0; round < 2; round++) {
    for (const doc of docs) {
      const r = await withTimeout(pull(doc, { previous: false, kind: 'pull (warm-up)' }).done, 60_000);
      if (!r) throw new Error(`warm-up pull of ${doc.name} got no answer in 60 s; stderr: ${soak.stderr.slice(-2000)}`);
    }
  }
  const warm = await memoryOf(soak);
  stats.pullLatencies.length = 0;
  console.log(`warm-up: ${docs.length} documents opened and pulled twice; server RSS ${MB(warm.rss)}${warm.heapUsed ? `, heap used ${MB(warm.heapUsed)}` : ''}`);

  running = true;
  startedAt = performance.now();
  let lastSample = 0;
  let lastReport = startedAt;
  let lastAudit = startedAt;
  let windowStart = 0;
  let lastCpu = cpuOf(soak.pid);
  let lastCpuAt = startedAt;
  let steps = 0;
  while (budgetLeft() && failures.length < 50) {
    // Pace the edits evenly over the time given.
    const elapsed = performance.now() - startedAt;
    const due = (elapsed / (opts.seconds * 1000)) * opts.edits;
    if (stats.edits > due + 1) await sleep(Math.min(50, ((stats.edits - due) / opts.edits) * opts.seconds * 1000));
    // Bounded concurrency, as an editor's (a hung request shows at the end, it does not stall us).
    if (soak.pending.size > 24) await drain(24, 2000);
    const action = rng.weighted(ACTIONS);
    await RUN[action]();
    if (++steps % 8 === 0) await tick();
    const now = performance.now();
    if (now - lastAudit > 5000) {
      // At least one workspace audit every 5 s, so that short runs have some.
      lastAudit = now;
      auditAction();
    }
    if (now - lastSample > 1000) {
      lastSample = now;
      const rss = rssOf(soak.pid);
      if (rss) stats.rssSamples.push(rss);
    }
    if (now - lastReport > opts.progressMs) {
      lastReport = now;
      const window = stats.pullLatencies.slice(windowStart);
      windowStart = stats.pullLatencies.length;
      const cpu = cpuOf(soak.pid);
      console.log(`  ${((now - startedAt) / 1000).toFixed(0)} s: ${stats.edits} edits, ${Object.values(stats.requests).reduce((a, b) => a + b, 0)} requests, `
        + `${soak.pending.size} pending; pulls since last line ${window.length}, p50 ${pct(window, 50).toFixed(0)} ms, p95 ${pct(window, 95).toFixed(0)} ms; `
        + `server CPU ${(((cpu - lastCpu) / ((now - lastCpuAt) / 1000)) * 100).toFixed(0)}%, RSS ${MB(rssOf(soak.pid))}`);
      lastCpu = cpu;
      lastCpuAt = now;
    }
  }
  running = false;
  const ranMs = performance.now() - startedAt;

  // Every request must come back.
  await drain(0, 30_000);
  for (const r of soak.pending.values()) {
    fail(`no response to ${r.method} #${r.id} (${r.kind ?? r.method}${r.cancelled ? ', cancelled' : ''}) sent ${((performance.now() - r.sentAt) / 1000).toFixed(1)} s ago`);
  }
  for (const t of stats.progressBegun) if (!stats.progressEnded.has(t)) fail(`$/progress ${t} began but never ended`);
  const end = await memoryOf(soak);

  // The workspace back as it was (links, FIFOs, configs and huge files removed, and announced).
  mutations.revertAll();

  // Final state: default settings, every open document pulled twice (the second after a save, so that
  // each analysis sees the final text of every other document), compared with a fresh server.
  answerConfigWithErrors = false;
  settings = {};
  settingsEpoch++;
  soak.notify('workspace/didChangeConfiguration', { settings: { linger: {} } });
  const finalDocs = openDocs();
  await finalDiagnostics(soak, finalDocs, 'soak');
  soak.notify('textDocument/didSave', { textDocument: { uri: finalDocs[0].uri } });
  const soaked = await finalDiagnostics(soak, finalDocs, 'soak');

  const alive = soak.alive();
  if (!alive) fail(`the server died: ${JSON.stringify(soak.exit)}; stderr: ${soak.stderr.slice(-3000)}`);
  for (const line of soak.stderr.split('\n')) if (/unhandled|uncaught/i.test(line)) fail(`stderr: ${line.slice(0, 500)}`);
  for (const v of soak.violations) {
    // Responses to the frames we wrote by hand with made-up ids are not violations.
    fail(`protocol: ${v}`);
  }
  if (soak.malformedAnswered !== stats.malformedExpected) {
    fail(`malformed frames: ${stats.malformedExpected} should have been answered with a parse error, ${soak.malformedAnswered} were`);
  }
  if (alive) {
    const shut = await withTimeout(soak.request('shutdown').done, 10_000);
    if (!shut || shut.error) fail(`shutdown answered ${JSON.stringify(shut)}`);
    soak.notify('exit');
    const exit = await soak.waitExit(10_000);
    if (!exit) {
      fail('the server did not exit within 10 s of shutdown+exit');
      soak.kill();
    } else if (exit.code !== 0) fail(`the server exited with ${JSON.stringify(exit)} after shutdown+exit`);
  }

  const fresh = startServer('fresh', (method, params) => (method === 'workspace/configuration' ? (params?.items ?? []).map(() => ({})) : method === 'window/showDocument' ? { success: true } : null));
  await initialize(fresh);
  for (const doc of finalDocs) fresh.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: doc.languageId, version: doc.version, text: doc.text } });
  await finalDiagnostics(fresh, finalDocs, 'fresh');
  fresh.notify('textDocument/didSave', { textDocument: { uri: finalDocs[0].uri } });
  const reference = await finalDiagnostics(fresh, finalDocs, 'fresh');
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
    fail(`final diagnostics of ${doc.name} (v${doc.version}, text in ${file}) differ from a fresh server's:\n    soak:  ${a.join('\n           ')}\n    fresh: ${b.join('\n           ')}`);
  }

  // ---- Report ----------------------------------------------------------------------------------
  const totalRequests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
  const lat = stats.pullLatencies;
  const ratio = end.rss / warm.rss;
  if (!(ratio <= opts.memoryRatio)) fail(`memory: RSS at the end ${MB(end.rss)} is ${ratio.toFixed(2)} x the ${MB(warm.rss)} after warm-up (limit ${opts.memoryRatio} x)`);
  const peak = Math.max(...stats.rssSamples, warm.rss, end.rss);
  console.log('');
  console.log(`edits: ${stats.edits} of ${opts.edits} in ${(ranMs / 1000).toFixed(1)} s (${Object.entries(stats.editKinds).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  fixes applied ${stats.fixesApplied}, fix-all applied ${stats.fixAllApplied}, stale versions sent ${stats.staleVersionsSent}, opens ${stats.opens}, closes ${stats.closes}, saves ${stats.saves}, settings changes ${stats.configChanges}, audits ${stats.audits}, malformed frames ${stats.malformedFrames}, workspace mutations ${stats.workspaceMutations}, huge documents ${stats.hugeDocuments}`);
  console.log(`requests: ${totalRequests} (${Object.entries(stats.requests).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  answered ${stats.answered}, of which RequestCancelled ${stats.requestCancelled}, ServerCancelled ${stats.serverCancelled}, ContentModified ${stats.contentModified}, expected errors ${stats.expectedErrors}, unexpected errors ${stats.unexpectedErrors}; cancelled by the client ${stats.cancelledByClient}; never answered ${soak.pending.size}`);
  console.log(`  from the server: ${Object.entries(stats.serverRequests).map(([k, v]) => `${k} ${v}`).join(', ')}; configuration answered with an error ${configErrors}`);
  console.log(`diagnostic pulls of text that parses: ${stats.pullsOfParsingText} of ${stats.requests['textDocument/diagnostic'] ?? 0}; full reports with findings: ${stats.reportsWithFindings}`);
  console.log(`diagnostic pulls answered with a report: ${lat.length}; latency p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms, max ${Math.max(...lat, 0).toFixed(1)} ms`);
  console.log(`memory (VmRSS${opts.gc ? ' after a full GC' : ''}): after warm-up ${MB(warm.rss)}, at the end ${MB(end.rss)}, ratio ${ratio.toFixed(2)} (limit ${opts.memoryRatio}); peak sampled ${MB(peak)}${warm.heapUsed ? `; heap used ${MB(warm.heapUsed)} -> ${MB(end.heapUsed)}` : ''}`);
  if (Object.keys(stats.knownBugHits).length) {
    console.log(`known bugs hit (tolerated; --include-known-bugs makes them failures): ${Object.entries(stats.knownBugHits).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  console.log(`server alive at the end: ${alive ? 'yes' : 'no'}; final diagnostics of ${finalDocs.length} open documents equal to a fresh server's: ${equal ? 'yes' : 'no'}`);
  const summary = {
    seed: opts.seed, seconds: +(ranMs / 1000).toFixed(1), edits: stats.edits, requests: totalRequests, answered: stats.answered,
    requestCancelled: stats.requestCancelled, serverCancelled: stats.serverCancelled, unexpectedErrors: stats.unexpectedErrors,
    pulls: lat.length, p50: +pct(lat, 50).toFixed(1), p95: +pct(lat, 95).toFixed(1), max: +Math.max(...lat, 0).toFixed(1),
    rssWarmMB: +(warm.rss / 1048576).toFixed(1), rssEndMB: +(end.rss / 1048576).toFixed(1), ratio: +ratio.toFixed(2),
    finalEqual: equal, alive, failures: failures.length, knownBugHits: stats.knownBugHits,
    malformedFrames: stats.malformedFrames, workspaceMutations: stats.workspaceMutations, hugeDocuments: stats.hugeDocuments,
  };
  if (failures.length) {
    console.error(`\nsoak FAILED (seed ${opts.seed}; rerun: npm run soak -- --seconds ${opts.seconds} --seed ${opts.seed}):`);
    for (const f of failures) console.error(`  - ${f}`);
    if (logs.length) console.error(`last server log lines:\n    ${logs.slice(-15).join('\n    ').slice(0, 4000)}`);
  } else {
    console.log(`soak passed (seed ${opts.seed})`);
  }
  console.log(`SOAK-SUMMARY ${JSON.stringify(summary)}`);
  if (opts.keep || failures.length) {
    const dir = path.join(WS, '.final');
    fs.mkdirSync(dir, { recursive: true });
    for (const doc of finalDocs) fs.writeFileSync(path.join(dir, `${doc.name}${doc.name.includes('.') ? '' : '.ts'}`), doc.text);
    console.log(`kept the workspace ${WS}; the final texts are in ${dir}`);
  } else {
    fs.rmSync(WS, { recursive: true, force: true });
    fs.rmSync(OUTSIDE, { recursive: true, force: true });
  }
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`soak: ${e?.stack ?? e} (seed ${opts.seed})`);
    soak?.kill();
    process.exit(1);
  },
);
