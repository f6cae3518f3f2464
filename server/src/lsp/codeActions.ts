// Code actions, built only from what the diagnostics carry (`data`) and the cached analysis of the
// current version: nothing here analyses again. Per finding: its fixes (the first preferred), an
// explanation, "ignore on this line", "ignore for this file", "disable in this workspace", and in
// the same quick-fix menu "fix all Linger problems in this file"; per document: the
// `source.fixAll.linger` action (fix all safe fixes), for fix-on-save and "Fix All".
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Command,
  Diagnostic,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Explanation } from '../core/types';
import { COMMANDS, FIX_ALL_KIND, SERVER_COMMANDS } from '../protocol';
import { ServerContext } from './context';
import { DiagnosticData, FixData, dataOf } from './diagnostics';
import { documentUri, isObject, isRange } from './guards';
import { openingOf } from './documents';
import { isSysctlDocument } from './sysctl';

export const EXPLAIN_TITLES: Record<Explanation, string> = {
  'close-wait': 'Explain: why this leaves sockets in CLOSE_WAIT',
  'time-wait': 'Explain: why this piles up TIME_WAIT',
};

export function codeActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const uri = documentUri(params);
  const doc = ctx.documents.get(uri);
  if (!doc || !isObject(params.context) || isSysctlDocument(uri, doc.languageId)) return [];
  const only = Array.isArray(params.context.only) ? params.context.only.filter((k): k is string => typeof k === 'string') : undefined;
  const wanted = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];

  if (wanted(CodeActionKind.QuickFix)) {
    const diagnostics = Array.isArray(params.context.diagnostics) ? params.context.diagnostics : [];
    const ours: Diagnostic[] = [];
    for (const d of diagnostics) {
      const data = dataOf(d) ?? cachedData(ctx, doc, d);
      if (!data) continue;
      ours.push(d as Diagnostic);
      actions.push(...findingActions(ctx, doc, d as Diagnostic, data));
    }
    // The quick-fix menu is where people look: offer fix-all there too, once, below the per-finding actions.
    const fixAll = ours.length ? fixAllAction(ctx, doc, FIX_ALL_IN_MENU) : undefined;
    if (fixAll) actions.push({ ...fixAll, diagnostics: ours });
  }
  if (wanted(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(ctx, doc, FIX_ALL_SOURCE);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/** The two ways fix-all is offered: as a source action (fix on save, "Fix All") and in the quick-fix menu. */
const FIX_ALL_SOURCE = { title: 'Fix all safe Linger problems', kind: FIX_ALL_KIND };
const FIX_ALL_IN_MENU = { title: 'Fix all Linger problems in this file', kind: CodeActionKind.QuickFix };

/** A client without `dataSupport` sends diagnostics back without `data`: find ours by range and code. */
function cachedData(ctx: ServerContext, doc: TextDocument, d: unknown): DiagnosticData | undefined {
  if (!isObject(d) || !isRange(d.range)) return undefined;
  const same = ctx.analysis.current(doc)?.diagnostics.find((c) => c.code === d.code && JSON.stringify(c.range) === JSON.stringify(d.range));
  return same ? dataOf(same) : undefined;
}

/** Computed for the text the document holds now: same version of the same opening. */
function isCurrent(data: { version?: number; opening?: number }, doc: TextDocument): boolean {
  return data.version === doc.version && (data.opening ?? 0) === openingOf(doc);
}

function findingActions(ctx: ServerContext, doc: TextDocument, d: Diagnostic, data: DiagnosticData): CodeAction[] {
  const actions: CodeAction[] = [];
  // Edits computed for an older version would land in the wrong place: offer them only when current.
  if (isCurrent(data, doc)) {
    data.fixes.forEach((fix, i) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: i === 0,
        edit: workspaceEdit(ctx, fix.edits),
      });
    });
  }
  actions.push({
    title: EXPLAIN_TITLES[data.explanation],
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    command: explainCommand(ctx, data.explanation),
  });
  // The comment goes above the finding's line: only where that line is the current text's.
  if (isRange(d.range) && isCurrent(data, doc)) actions.push(ignoreAction(ctx, doc, d, data.ruleId));
  if (isCurrent(data, doc)) actions.push(ignoreFileAction(ctx, doc, d, data.ruleId));
  if (ctx.client.clientCommands.has(COMMANDS.disableRule)) {
    actions.push({
      title: `Disable ${data.ruleId} in this workspace`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: `Disable ${data.ruleId} in this workspace`, command: COMMANDS.disableRule, arguments: [data.ruleId, doc.uri] },
    });
  }
  return actions;
}

/** The VS Code client opens the page in Markdown preview; other editors get `window/showDocument`. */
export function explainCommand(ctx: ServerContext, explanation: Explanation): Command {
  const command = ctx.client.clientCommands.has(COMMANDS.explain) ? COMMANDS.explain : SERVER_COMMANDS.explain;
  return { title: EXPLAIN_TITLES[explanation], command, arguments: [explanation] };
}

/** `// linger-ignore-next-line <rule-id> -- ` above the finding, indented like its line. */
function ignoreAction(ctx: ServerContext, doc: TextDocument, d: Diagnostic, ruleId: string): CodeAction {
  const line = d.range.start.line;
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const edit: TextEdit = {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}// linger-ignore-next-line ${ruleId} -- \n`,
  };
  return {
    title: 'Ignore on this line',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: workspaceEdit(ctx, { [doc.uri]: [edit] }),
  };
}

/**
 * `// linger-ignore-file <rule-id> -- ` on the first line (below a `#!` line, which must stay
 * first), for the reason to be typed after `--`.
 */
function ignoreFileAction(ctx: ServerContext, doc: TextDocument, d: Diagnostic, ruleId: string): CodeAction {
  const text = doc.getText();
  const at = { line: text.startsWith('#!') ? 1 : 0, character: 0 };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edit: TextEdit = { range: { start: at, end: at }, newText: `// linger-ignore-file ${ruleId} -- ${eol}` };
  return {
    title: 'Ignore for this file',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: workspaceEdit(ctx, { [doc.uri]: [edit] }),
  };
}

/** What a fix-all action left for `codeAction/resolve` carries. */
interface FixAllData {
  fixAll: true;
  uri: string;
  version: number;
  opening: number;
}

/**
 * Fix all safe problems. When the client can resolve, the edit is left out and computed only if the
 * user picks the action (VS Code asks for source actions often, e.g. for every lightbulb).
 */
function fixAllAction(ctx: ServerContext, doc: TextDocument, how: { title: string; kind: string }): CodeAction | undefined {
  const edits = fixAllEdits(ctx, doc);
  if (!edits?.length) return undefined;
  const action: CodeAction = { title: how.title, kind: how.kind };
  if (ctx.client.codeActionResolve) action.data = { fixAll: true, uri: doc.uri, version: doc.version, opening: openingOf(doc) } satisfies FixAllData;
  else action.edit = workspaceEdit(ctx, { [doc.uri]: edits });
  return action;
}

/** `codeAction/resolve`: only fix-all is resolved lazily; anything else comes back as it was. */
export function resolveCodeAction(ctx: ServerContext, action: CodeAction): CodeAction {
  if (!isObject(action)) return action;
  const data = action.data as Partial<FixAllData> | undefined;
  if (!isObject(data) || data.fixAll !== true || typeof data.uri !== 'string') return action;
  const doc = ctx.documents.get(data.uri);
  // Changed since the action was offered: resolve to no edit rather than to misplaced ones.
  if (!doc || !isCurrent(data, doc)) return { ...action, edit: { changes: {} } };
  return { ...action, edit: workspaceEdit(ctx, { [doc.uri]: fixAllEdits(ctx, doc) ?? [] }) };
}

/** All safe fixes of the current analysis that touch only this document and do not overlap. */
function fixAllEdits(ctx: ServerContext, doc: TextDocument): TextEdit[] | undefined {
  const current = ctx.analysis.current(doc);
  if (!current) return undefined;
  const taken: Array<{ start: number; end: number; newText: string }> = [];
  const edits: TextEdit[] = [];
  for (const d of current.diagnostics) {
    const data = dataOf(d);
    for (const fix of data?.fixes ?? []) {
      if (!fix.safe || Object.keys(fix.edits).some((u) => u !== doc.uri)) continue;
      const spans = (fix.edits[doc.uri] ?? []).map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText }));
      if (!spans.length || spans.some((s) => taken.some((t) => overlaps(s, t)))) continue;
      taken.push(...spans);
      edits.push(...fix.edits[doc.uri]);
      break; // one fix per finding: the first safe one
    }
  }
  return edits;
}

/** Overlapping replacements conflict; so does the same insertion twice (two findings, one fix). */
function overlaps(a: { start: number; end: number; newText: string }, b: typeof a): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  return a.start === a.end && b.start === b.end && a.start === b.start && a.newText === b.newText;
}

function workspaceEdit(ctx: ServerContext, edits: FixData['edits']): WorkspaceEdit {
  if (!ctx.client.documentChanges) return { changes: edits };
  return {
    documentChanges: Object.entries(edits).map(([uri, list]) => ({
      // The open version lets the client refuse edits made for text that has changed since.
      textDocument: { uri, version: ctx.documents.get(uri)?.version ?? null },
      edits: list,
    })),
  };
}
