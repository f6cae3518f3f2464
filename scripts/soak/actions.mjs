// What the soak's editor does (scripts/soak.mjs), one action at a time, each a function of the
// session (scripts/soak/session.mjs): typing and editing, diagnostic pulls, code actions and fixes
// applied, hovers, cancellations, settings changes, opening and closing, saves, audits, exports,
// watched-file events, workspace mutations and huge documents. The requests a broken client would
// send are in scripts/soak/bad-input.mjs.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidParamsAction, malformedAction, staleVersionAction, unknownDocumentAction, unknownMethodAction } from './bad-input.mjs';
import { sleep, tick, withTimeout } from './server.mjs';
import { count } from './session.mjs';
import { diffChange, lineStarts, offsetAt, positionAt, randomEdit } from './text.mjs';
import { bigText } from './workspace.mjs';

const uriOf = (file) => pathToFileURL(file).href;

/** How often each action is chosen (relative weights). */
export const ACTIONS = {
  edit: 50, pull: 10, codeActionFlow: 3, codeAction: 4, hover: 6, cancel: 4, config: 0.6, openClose: 1, save: 1,
  unknownDocument: 0.8, staleVersion: 0.8, malformed: 0.6, unknownMethod: 0.4, invalidParams: 0.6, audit: 0.15,
  exportReport: 0.1, explain: 0.15, watchedFiles: 0.1, workspace: 0.3, hugeDocument: 0.08,
};

/**
 * Every kind of action runs at least once, whatever the machine's load: how many actions fit in a
 * run depends on it, and in a short run on a loaded machine the rare ones (a huge document: about 1
 * step in 1,000) may never be drawn. So the k-th kind of FORCED (rarest first) is the action of step
 * FORCED_FIRST + k * FORCED_EVERY (0-based; the steps between are drawn by weight), and the kinds
 * still due when the time or the edits run out are run then, one after the other (scripts/soak.mjs).
 */
export const FORCED = Object.keys(ACTIONS).sort((a, b) => ACTIONS[a] - ACTIONS[b]);
export const FORCED_FIRST = 3;
export const FORCED_EVERY = 7;

/** The action forced at step `step` (0-based) when kinds are still due, or undefined: draw one. */
export function forcedAt(step, due) {
  return due.length && step >= FORCED_FIRST && (step - FORCED_FIRST) % FORCED_EVERY === 0 ? due.shift() : undefined;
}

async function editAction(s) {
  const doc = s.rng.pick(s.openDocs());
  if (!doc.parses && doc.lastGood !== undefined && s.rng.chance(0.4)) {
    s.change(doc, [diffChange(doc.text, doc.lastGood)], 'undo');
    afterEdit(s, doc);
    return;
  }
  const e = randomEdit(s.rng, doc.text, doc.original);
  if (e.kind !== 'type') {
    s.change(doc, e.changes, e.kind);
    afterEdit(s, doc);
    return;
  }
  // Typing: one didChange per character, a pull after some of them that the next keystroke cancels.
  let at = offsetAt(doc.text, { line: e.line, character: e.at });
  for (const ch of e.chars) {
    if (!doc.open || !s.budgetLeft()) return;
    const p = positionAt(doc.text, at);
    s.change(doc, [{ range: { start: p, end: p }, text: ch }], 'type');
    at += ch.length;
    afterEdit(s, doc);
    if (s.rng.chance(0.3)) await sleep(s.rng.int(15));
    else await tick();
  }
}

function afterEdit(s, doc) {
  if (s.rng.chance(0.5)) {
    if (doc.lastPull && s.server.pending.has(doc.lastPull.id) && s.rng.chance(0.7)) s.server.cancel(doc.lastPull);
    s.pull(doc);
  }
}

async function codeActionFlow(s) {
  const doc = s.rng.pick(s.openDocs());
  // Bounded waits: a request that never comes back is reported at the end, it must not stall the run.
  const r = await withTimeout(s.pull(doc, { previous: false, kind: 'pull (for code actions)' }).done, 60_000);
  if (!r?.result || r.result.kind !== 'full' || !doc.open) return;
  const diags = r.result.items.filter((d) => d.source === 'linger');
  const d = diags.length ? s.rng.pick(diags) : undefined;
  const only = s.rng.weighted({ none: 3, quickfix: 1, fixAll: 1 });
  const sent = d && s.rng.chance(0.3) ? { ...d, data: undefined } : d; // a client without dataSupport
  const params = {
    textDocument: { uri: doc.uri },
    range: d?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: sent ? [sent] : [], triggerKind: 1, ...(only === 'quickfix' ? { only: ['quickfix'] } : only === 'fixAll' ? { only: ['source.fixAll.linger'] } : {}) },
  };
  const version = doc.version;
  const openings = s.openings();
  const rec = s.request('textDocument/codeAction', params, { kind: 'codeAction (flow)', check: (actions) => checkActions(s, actions, doc, 'codeAction', openings) });
  const res = await withTimeout(rec.done, 60_000);
  if (!Array.isArray(res?.result) || !doc.open || doc.version !== version) return;
  const withEdit = res.result.filter((a) => a.edit && a.title !== 'Ignore on this line');
  const fixAll = res.result.find((a) => a.kind === 'source.fixAll.linger' && a.data);
  if (fixAll && s.rng.chance(0.5)) {
    const resolved = await withTimeout(s.request('codeAction/resolve', fixAll, { kind: 'codeAction/resolve', check: (a) => checkActions(s, [a], doc, 'codeAction/resolve', openings) }).done, 60_000);
    if (resolved?.result?.edit && doc.open && doc.version === version && s.applyWorkspaceEdit(doc, resolved.result.edit, 'fixAll', openings)) s.stats.fixAllApplied++;
  } else if (withEdit.length && s.rng.chance(0.6)) {
    if (s.applyWorkspaceEdit(doc, s.rng.pick(withEdit).edit, 'fix', openings)) s.stats.fixesApplied++;
  } else if (s.rng.chance(0.2)) {
    const ignore = res.result.find((a) => a.title === 'Ignore on this line');
    if (ignore) s.applyWorkspaceEdit(doc, ignore.edit, 'ignoreComment', openings);
  }
  if (doc.open && doc.version !== version) afterEdit(s, doc);
}

function checkActions(s, actions, doc, context, openings) {
  if (!Array.isArray(actions)) {
    s.fail(`${context} on ${doc.name}: not an array: ${JSON.stringify(actions).slice(0, 300)}`);
    return;
  }
  for (const a of actions) {
    if (typeof a?.title !== 'string') s.fail(`${context} on ${doc.name}: an action without a title: ${JSON.stringify(a).slice(0, 300)}`);
    else if (a.edit) s.editsOf(a.edit, `${context} "${a.title}" on ${doc.name}`, openings);
  }
}

function codeActionAction(s) {
  // Quick code actions with whatever diagnostics we last saw (often stale), as the lightbulb asks.
  const doc = s.rng.pick(s.openDocs());
  const items = doc.lastReport?.items ?? [];
  const d = items.length ? s.rng.pick(items) : undefined;
  const lines = lineStarts(doc.text).length;
  const line = s.rng.int(lines);
  const openings = s.openings();
  s.request('textDocument/codeAction', {
    textDocument: { uri: doc.uri },
    range: d?.range ?? { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: d ? [d] : [], triggerKind: 2 },
  }, { kind: 'textDocument/codeAction', check: (actions) => checkActions(s, actions, doc, 'codeAction', openings) });
}

function hoverAction(s) {
  const doc = s.rng.pick(s.openDocs());
  let position;
  const hits = [...doc.text.matchAll(/\b(listen|connect|createServer|createConnection|get|bind|request|createSocket)\b/g)];
  if (hits.length && s.rng.chance(0.6)) position = positionAt(doc.text, s.rng.pick(hits).index + 1);
  else if (s.rng.chance(0.05)) position = { line: 100_000, character: 3 };
  else position = positionAt(doc.text, s.rng.int(doc.text.length + 1));
  s.request('textDocument/hover', { textDocument: { uri: doc.uri }, position }, {
    check: (h) => {
      if (h !== null && (typeof h?.contents?.value !== 'string')) s.fail(`hover on ${doc.name}: unexpected ${JSON.stringify(h).slice(0, 300)}`);
    },
  });
}

function cancelAction(s) {
  const candidates = [...s.server.pending.values()].filter((r) => !r.cancelled && r.method !== 'shutdown');
  if (candidates.length) s.server.cancel(s.rng.pick(candidates));
}

const RULES = ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection', 'listen-without-reuseaddr', 'fixed-local-port',
  'connection-churn', 'half-open-socket', 'timeout-without-destroy', 'missing-keepalive'];
const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];
/** Settings as a user might set them, invalid ones included. */
function randomSettings(rng) {
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

function configAction(s) {
  s.settings = randomSettings(s.rng);
  s.settingsEpoch++;
  s.stats.configChanges++;
  // VS Code sends the section's values; other clients send null and let the server ask.
  s.server.notify('workspace/didChangeConfiguration', { settings: s.rng.chance(0.5) ? { linger: s.settings } : null });
}

function openCloseAction(s) {
  const open = s.openDocs();
  const closed = s.docs.filter((d) => !d.open);
  if (closed.length && (open.length <= 3 || s.rng.chance(0.5))) {
    const doc = s.rng.pick(closed);
    // Reopened as on disk, or with the text it had (an editor restoring a dirty buffer).
    s.openDoc(doc, s.rng.chance(0.5) ? doc.original : doc.text, 1 + s.rng.int(3));
    if (s.rng.chance(0.7)) s.pull(doc);
  } else if (open.length > 3) {
    const doc = s.rng.pick(open);
    if (doc.lastPull && s.server.pending.has(doc.lastPull.id) && s.rng.chance(0.5)) s.server.cancel(doc.lastPull);
    s.closeDoc(doc);
    if (s.rng.chance(0.3)) {
      // Closed and reopened at once (an editor reloading the file).
      s.openDoc(doc, doc.text, 1);
      s.pull(doc);
    }
  }
}

function saveAction(s) {
  const doc = s.rng.pick(s.openDocs());
  s.stats.saves++;
  s.server.notify('textDocument/didSave', { textDocument: { uri: doc.uri } });
}

export function auditAction(s) {
  if (s.pendingAudits.size) return;
  const token = `soak-audit-${++s.stats.audits}`;
  const params = s.rng.chance(0.5) ? { workDoneToken: token } : s.rng.chance(0.5) ? { uris: [uriOf(path.join(s.ws, 'examples'))] } : {};
  const rec = s.request('linger/audit', params, {
    check: (r) => {
      if (!Array.isArray(r?.findings) || typeof r.files !== 'number') s.fail(`linger/audit: unexpected result ${JSON.stringify(r).slice(0, 300)}`);
    },
  });
  s.pendingAudits.add(rec);
  rec.done.then(() => s.pendingAudits.delete(rec));
  if (s.rng.chance(0.5)) setTimeout(() => s.server.cancel(rec), s.rng.int(300));
}

function exportAction(s) {
  s.request('linger/exportReport', { format: s.rng.pick(['sarif', 'markdown']) }, {
    check: (r) => (r === null || typeof r !== 'object') && s.fail(`linger/exportReport: ${JSON.stringify(r).slice(0, 200)}`),
  });
}

function explainAction(s) {
  s.request('workspace/executeCommand', { command: 'linger.server.explain', arguments: [s.rng.pick(['close-wait', 'time-wait'])] });
}

function watchedFilesAction(s) {
  const file = s.rng.pick(['app/tsconfig.json', 'examples/tsconfig.json', 'app/package.json', 'app/src/clean.ts', 'examples/.lingerrc.json']);
  s.server.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(s.ws, file)), type: 2 }] });
  count(s.stats.notifications, 'workspace/didChangeWatchedFiles');
}

/** A huge document (over the size cap, or just under it) opened, typed into, hovered, pulled, closed. */
async function hugeDocumentAction(s) {
  s.stats.hugeDocuments++;
  const uri = uriOf(path.join(s.ws, 'app', 'src', `huge-document-${s.stats.hugeDocuments}.ts`));
  // The first is over the cap (the oracle's "never a diagnostic" is checked at least once), then either.
  const over = s.stats.hugeDocuments === 1 || s.rng.chance(0.5);
  let text = bigText(over ? 2_500_000 : 800_000);
  s.server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  for (let version = 2; version <= 4; version++) {
    text += `// typed ${version}\n`;
    s.server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }
  s.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 16 } }, { kind: 'hover (huge document)' });
  const rec = s.request('textDocument/diagnostic', { textDocument: { uri } }, {
    kind: 'pull (huge document)',
    check: (r) => over && r?.items?.length && s.fail(`a document over the size cap got diagnostics: ${JSON.stringify(r.items[0]).slice(0, 300)}`),
  });
  await withTimeout(rec.done, 60_000);
  s.server.notify('textDocument/didClose', { textDocument: { uri } });
}

/** Each action: a function of the session (some wait for answers). */
export const RUN = {
  edit: editAction, pull: (s) => s.pull(s.rng.pick(s.openDocs())), codeActionFlow, codeAction: codeActionAction, hover: hoverAction,
  cancel: cancelAction, config: configAction, openClose: openCloseAction, save: saveAction, unknownDocument: unknownDocumentAction,
  staleVersion: staleVersionAction, malformed: malformedAction, unknownMethod: unknownMethodAction, invalidParams: invalidParamsAction,
  audit: auditAction, exportReport: exportAction, explain: explainAction, watchedFiles: watchedFilesAction,
  workspace: (s) => { s.stats.workspaceMutations++; s.mutations.mutate(); }, hugeDocument: hugeDocumentAction,
};
