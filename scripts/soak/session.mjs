// The editor side of the soak (scripts/soak.mjs): the documents as the client has them, the
// settings it answers workspace/configuration with, every request it sent and how it was answered
// (the oracle's "answered" and "sane" checks), and the statistics of the run.
import { createRequire } from 'node:module';
import { CODES } from './rpc.mjs';
import { sleep } from './server.mjs';
import { Rng, applyChange, editsToChanges, lineStarts, rangeInside } from './text.mjs';

// Only to steer the edits (undo when a document has stayed unparsable); never part of the oracle.
const ts = createRequire(import.meta.url)('typescript');

const ERROR_NAMES = Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, k]));

export const count = (obj, key) => (obj[key] = (obj[key] ?? 0) + 1);

export class Session {
  /** `ws`: the scratch workspace the server is opened on. */
  constructor(opts, ws) {
    this.opts = opts;
    this.ws = ws;
    this.rng = new Rng(opts.seed);
    /** What went wrong (the first 200). */
    this.failures = [];
    /** The server's last log and showMessage lines, for the failure report. */
    this.logs = [];
    this.stats = {
      requests: {}, notifications: {}, answered: 0, cancelledByClient: 0, requestCancelled: 0, serverCancelled: 0, contentModified: 0,
      expectedErrors: 0, unexpectedErrors: 0, lost: 0, edits: 0, editKinds: {}, staleVersionsSent: 0, fixesApplied: 0, fixAllApplied: 0,
      malformedFrames: 0, malformedExpected: 0, workspaceMutations: 0, hugeDocuments: 0, opens: 0, closes: 0, saves: 0, configChanges: 0, audits: 0, refreshes: 0, serverRequests: {}, pullLatencies: [],
      knownBugHits: {}, pullsOfParsingText: 0, reportsWithFindings: 0, progressBegun: new Set(), progressEnded: new Set(), rssSamples: [],
    };
    /** Documents: the files of the workspace copy, a JS file that exists only in the editor, an untitled buffer. */
    this.docs = [];
    /** The `linger` settings workspace/configuration is answered with, and how often they changed. */
    this.settings = {};
    this.settingsEpoch = 0;
    /** workspace/configuration answered with an error (3% of them, until the final comparison). */
    this.configErrors = 0;
    this.answerConfigWithErrors = true;
    /** The soaked server (an RpcServer), once started. */
    this.server = undefined;
    /** The soak's loop is running (diagnostic refreshes are followed only then). */
    this.running = false;
    this.startedAt = 0;
    this.pendingAudits = new Set();
    /** The workspace-level mutations (scripts/soak/workspace.mjs), once the server is up. */
    this.mutations = undefined;
  }

  fail(what) {
    if (this.failures.length < 200) this.failures.push(what);
    if (this.opts.verbose) console.error(`FAIL ${what}`);
  }

  addDoc(uri, languageId, original, onDisk) {
    this.docs.push({ uri, languageId, original, onDisk, text: original, version: 0, open: false, lastPull: undefined, lastReport: undefined, name: uri.slice(uri.lastIndexOf('/') + 1) });
  }

  openDocs() {
    return this.docs.filter((d) => d.open);
  }

  /** Edits and time are left, and the server is alive. */
  budgetLeft() {
    return this.stats.edits < this.opts.edits && performance.now() - this.startedAt < this.opts.seconds * 1000 && this.server.alive();
  }

  // ---- What the server sends -------------------------------------------------------------------

  onNotification(method, params) {
    count(this.stats.notifications, method);
    if (method === 'window/logMessage' || method === 'window/showMessage') {
      const m = String(params?.message ?? '');
      this.logs.push(m);
      if (this.logs.length > 400) this.logs.splice(0, 200);
      if (/uncaught|unhandled/i.test(m)) this.fail(`the server logged an uncaught error: ${m.slice(0, 1500)}`);
      else if (/\bfailed: /.test(m)) this.fail(`a handler failed inside the server: ${m.slice(0, 1500)}`);
    } else if (method === '$/progress') {
      const kind = params?.value?.kind;
      if (kind === 'begin') this.stats.progressBegun.add(String(params.token));
      if (kind === 'end') this.stats.progressEnded.add(String(params.token));
    }
  }

  onRequest(method, params) {
    count(this.stats.serverRequests, method);
    switch (method) {
      case 'workspace/configuration': {
        const late = this.rng.chance(0.1) ? this.rng.int(40) : 0;
        // The answer is computed when it is sent (like VS Code), so a late answer has the newest settings.
        return late ? sleep(late).then(() => this.configurationAnswer(params)) : this.configurationAnswer(params);
      }
      case 'workspace/diagnostic/refresh':
        // Like VS Code: pull every open document again.
        this.stats.refreshes++;
        setImmediate(() => {
          if (this.running) for (const d of this.docs.filter((x) => x.open)) this.pull(d);
        });
        return null;
      case 'window/showDocument':
        return { success: true };
      default:
        return null; // client/registerCapability, window/workDoneProgress/create, window/showMessageRequest
    }
  }

  configurationAnswer(params) {
    if (this.answerConfigWithErrors && this.rng.chance(0.03)) {
      this.configErrors++;
      return { __error: { code: CODES.InternalError, message: 'soak: configuration unavailable' } };
    }
    const items = Array.isArray(params?.items) ? params.items : [];
    return items.map((item) => (item?.section === 'linger' || item?.section === undefined ? structuredClone(this.settings) : null));
  }

  // ---- Requests and their answers --------------------------------------------------------------

  /** Send a request and track it: kind for the statistics, `expect` for the oracle. */
  request(method, params, extra = {}) {
    count(this.stats.requests, extra.kind ?? method);
    const record = this.server.request(method, params, extra);
    record.done.then((r) => this.judge(record, r));
    return record;
  }

  /** Classify a response; anything unexpected is a failure. */
  judge(record, r) {
    const stats = this.stats;
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
        if (!record.cancelled) this.fail(`${record.method} #${record.id} answered RequestCancelled but the client never cancelled it`);
        return;
      }
      if (code === CODES.ServerCancelled || code === CODES.ContentModified) {
        if (code === CODES.ServerCancelled) stats.serverCancelled++;
        else stats.contentModified++;
        if (record.method !== 'textDocument/diagnostic' && record.method !== 'linger/audit') {
          this.fail(`${record.method} #${record.id} answered ${ERROR_NAMES[code]}, which only pulls may answer`);
        }
        return;
      }
      if ((expect === 'methodNotFound' && code === CODES.MethodNotFound) || (expect === 'invalidParams' && code === CODES.InvalidParams) || expect === 'any') {
        stats.expectedErrors++;
        return;
      }
      stats.unexpectedErrors++;
      this.fail(`${record.method} #${record.id} (${record.kind ?? record.method}) answered the error ${JSON.stringify(r.error).slice(0, 400)}`);
      return;
    }
    if (expect === 'methodNotFound' || expect === 'invalidParams') {
      this.fail(`${record.method} #${record.id} (${record.kind}) should have failed with ${expect} but answered ${JSON.stringify(r.result).slice(0, 300)}`);
      return;
    }
    record.check?.(r.result);
  }

  // ---- Documents -------------------------------------------------------------------------------

  openDoc(doc, text = doc.original, version = 1) {
    // Versions start again at each opening, so a version names a text only together with its opening.
    doc.opening = (doc.opening ?? 0) + 1;
    doc.text = text;
    track(doc);
    doc.version = version;
    doc.open = true;
    doc.lastReport = undefined;
    this.stats.opens++;
    this.server.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: doc.languageId, version, text } });
  }

  closeDoc(doc) {
    doc.open = false;
    this.stats.closes++;
    this.server.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
  }

  /** Send one didChange (a valid one: the next version) and apply it to our copy. */
  change(doc, changes, kind) {
    const skip = this.rng.chance(0.02) ? 2 + this.rng.int(5) : 1; // versions may jump; they must only increase
    doc.version += skip;
    for (const c of changes) doc.text = applyChange(doc.text, c);
    track(doc);
    this.server.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: changes });
    this.stats.edits++;
    count(this.stats.editKinds, kind);
  }

  /** A diagnostic pull of `doc`; the result is checked against the text of the version pulled. */
  pull(doc, { previous = this.rng.chance(0.3), kind = 'textDocument/diagnostic' } = {}) {
    const version = doc.version;
    const opening = doc.opening;
    const text = doc.text;
    const epoch = this.settingsEpoch;
    const onSave = this.settings.run === 'onSave';
    if (doc.parses) this.stats.pullsOfParsingText++;
    const previousResultId = previous ? doc.lastReport?.resultId : undefined;
    const record = this.request('textDocument/diagnostic', { textDocument: { uri: doc.uri }, ...(previousResultId ? { previousResultId } : {}) }, {
      kind,
      check: (result) => {
        this.stats.pullLatencies.push(record.latencyMs);
        if (result?.kind === 'unchanged') {
          if (!previousResultId || result.resultId !== previousResultId) this.fail(`pull #${record.id} of ${doc.name}: "unchanged" for resultId ${result.resultId} but the client sent ${previousResultId}`);
          return;
        }
        if (result?.kind !== 'full' || !Array.isArray(result.items)) {
          this.fail(`pull #${record.id} of ${doc.name}: not a report: ${JSON.stringify(result).slice(0, 300)}`);
          return;
        }
        // In `run: onSave` (or when settings changed meanwhile) the server may show an older version's result.
        const checkable = !onSave && epoch === this.settingsEpoch && this.settings.run !== 'onSave';
        const starts = lineStarts(text);
        for (const d of result.items) {
          if (typeof d?.message !== 'string' || (typeof d.code !== 'string' && typeof d.code !== 'number') || !d.range) {
            this.fail(`pull #${record.id} of ${doc.name}: malformed diagnostic ${JSON.stringify(d).slice(0, 300)}`);
          } else if (checkable && !rangeInside(text, d.range, starts)) {
            this.fail(`pull #${record.id} of ${doc.name} v${version}: diagnostic ${d.code} at ${JSON.stringify(d.range)} is outside the text (${starts.length} lines)`);
          } else if (checkable && d.data?.version === version) {
            // The fixes a diagnostic carries were computed for the text pulled: each edit of this document lies inside it.
            for (const fix of d.data.fixes ?? []) {
              for (const e of fix.edits?.[doc.uri] ?? []) {
                if (!rangeInside(text, e.range, starts)) this.fail(`pull #${record.id} of ${doc.name} v${version}: fix "${fix.title}" edits outside the text: ${JSON.stringify(e).slice(0, 300)}`);
              }
            }
          }
        }
        if (result.items.some((d) => d.source === 'linger' && d.code !== 'skipped')) this.stats.reportsWithFindings++;
        if (doc.open && doc.opening === opening && doc.version === version) doc.lastReport = { version, items: result.items, resultId: result.resultId };
      },
    });
    record.docUri = doc.uri;
    doc.lastPull = record;
    return record;
  }

  /** Which opening each document is in now: pass it to editsOf() for an answer that comes later. */
  openings() {
    return Object.fromEntries(this.docs.map((d) => [d.uri, d.open ? d.opening : undefined]));
  }

  /**
   * Check that the edits of a workspace edit lie inside the text they are for; returns {uri: edits[]}.
   * `openings` (from openings(), taken when the request was sent): a document closed and opened again
   * since then may have reached the same version number with another text; its edits are not checked.
   */
  editsOf(edit, context, openings) {
    const out = {};
    if (!edit) return out;
    for (const dc of edit.documentChanges ?? []) {
      if (!dc?.textDocument?.uri || !Array.isArray(dc.edits)) {
        this.fail(`${context}: malformed documentChanges entry ${JSON.stringify(dc).slice(0, 300)}`);
        continue;
      }
      out[dc.textDocument.uri] = { version: dc.textDocument.version, edits: dc.edits };
    }
    for (const [uri, list] of Object.entries(edit.changes ?? {})) out[uri] = { version: undefined, edits: list };
    for (const [uri, { version, edits }] of Object.entries(out)) {
      const doc = this.docs.find((d) => d.uri === uri);
      if (!doc || !doc.open || (openings && openings[uri] !== doc.opening) || (version !== undefined && version !== null && version !== doc.version)) continue;
      for (const e of edits) {
        if (typeof e?.newText === 'string' && rangeInside(doc.text, e.range)) continue;
        // Known bug (test/robustness/soak.test.ts): "Ignore on this line" is built from the line of the
        // diagnostic the client sends, even one of an older version (`run: onSave` shows those by design).
        if (!this.opts.knownBugs && /Ignore on this line|ignoreComment/.test(context) && typeof e?.newText === 'string') {
          count(this.stats.knownBugHits, 'ignore-action-at-a-stale-line');
          continue;
        }
        this.fail(`${context}: an edit outside ${doc.name} v${doc.version}: ${JSON.stringify(e).slice(0, 300)}`);
      }
    }
    return out;
  }

  /** Apply the part of a workspace edit for `doc`, if it was made for its current version. */
  applyWorkspaceEdit(doc, edit, kind, openings) {
    if (openings && openings[doc.uri] !== doc.opening) return false;
    const forDoc = this.editsOf(edit, kind, openings)[doc.uri];
    if (!forDoc || !forDoc.edits.length) return false;
    if (forDoc.version !== undefined && forDoc.version !== null && forDoc.version !== doc.version) return false; // VS Code refuses stale edits
    this.change(doc, editsToChanges(doc.text, forDoc.edits), kind);
    return true;
  }
}

/** Does the text parse? Random edits break most files; the driver undoes back to the last text that parsed. */
function track(doc) {
  const sf = ts.createSourceFile(doc.languageId === 'javascript' ? 'a.js' : 'a.ts', doc.text, ts.ScriptTarget.Latest, false,
    doc.languageId === 'javascript' ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  doc.parses = !sf.parseDiagnostics?.length;
  if (doc.parses) doc.lastGood = doc.text;
}
