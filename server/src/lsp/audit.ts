// The workspace audit (`linger/audit`): every JS/TS file under the workspace folders (or the
// folders asked for), opened or not, with `$/progress` counting files and cancellation between
// files. Each file is one job of the analysis worker, in its background lane: documents being
// edited are analysed between two files of the audit, never after all of them.
import * as path from 'path';
import { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { AnalysisResult } from '../core/types';
import { AuditParams, AuditResult } from '../protocol';
import { ServerContext } from './context';
import { isObject } from './guards';
import { pathToUri, uriToPath } from './paths';
import { cancelled, yieldToEventLoop } from './safe';
import { Settings } from './settings';

/** How long the loop may hold the event loop before it yields (ms). */
const SLICE_MS = 25;

export async function audit(ctx: ServerContext, params: AuditParams, token: CancellationToken): Promise<AuditResult> {
  const started = Date.now();
  const roots = auditRoots(ctx, params);
  const progress = await progressReporter(ctx, params);
  // Cancelled by $/cancelRequest, or by the Cancel button of a server-created progress (its `token`).
  const isCancelled = () => token.isCancellationRequested || (progress as { token?: CancellationToken }).token?.isCancellationRequested === true;
  progress.begin('Linger: auditing connections', 0, 'listing files…', true);
  ctx.status({ state: 'auditing' });
  try {
    const settingsOf = new Map<string, Settings>();
    for (const r of roots) settingsOf.set(r, await ctx.settings.get(pathToUri(r)));
    const rootOf = (file: string) => roots.find((r) => file === r || file.startsWith(r + path.sep)) ?? roots[0];
    const worker = ctx.analysis.worker;
    const listed = await worker.run({ kind: 'list', roots }, 'background');
    const files = listed.files.filter((f) => !ctx.analysis.excludedBySettings(f, settingsOf.get(rootOf(f))!));
    const result: AnalysisResult = { findings: [], listeners: [], connections: [], files: [], skipped: [...listed.skipped], configErrors: [], durationMs: 0 };
    const errors = new Set<string>();

    // Load every file into its project first, so each project builds one program, not one per file.
    let slice = Date.now();
    const pause = async (percentage: number, message: string) => {
      if (Date.now() - slice < SLICE_MS) return;
      progress.report(percentage, message);
      await yieldToEventLoop();
      slice = Date.now();
      if (isCancelled()) throw cancelled();
    };
    for (const [i, f] of files.entries()) {
      await worker.run({ kind: 'load', file: f }, 'background').catch(() => undefined); // reported by analyze below
      await pause(0, `loading ${i + 1}/${files.length} files`);
    }
    const open = new Map(ctx.documents.all().map((d) => [uriToPath(d.uri), d]));
    for (const [i, file] of files.entries()) {
      await pause(Math.floor((i / files.length) * 100), `${i}/${files.length} files`);
      const settings = settingsOf.get(rootOf(file))!;
      const options = { rules: settings.rules, timeBudgetMs: settings.timeBudgetMs, maxFileSize: settings.maxFileSize };
      // An open document is audited as the user sees it, and its buffer stays in the project.
      const r = await worker.run({ kind: 'analyze', file, text: open.get(file)?.getText(), options }, 'background')
        .catch((e: Error) => ({ file, skipped: `the analysis ${e.message.split('\n')[0]}`, excluded: false, configErrors: [] as string[], findings: [], listeners: [] }));
      r.configErrors.forEach((e) => errors.add(e));
      if (r.excluded) continue;
      if (r.skipped) {
        result.skipped.push({ file: r.file, reason: r.skipped });
        continue;
      }
      result.files.push(r.file);
      result.findings.push(...r.findings);
      result.listeners.push(...r.listeners);
    }
    progress.report(100, `${files.length}/${files.length} files`);
    const order = (a: { file: string; line: number; column: number }, b: typeof a) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
    result.findings.sort(order);
    result.listeners.sort(order);
    result.configErrors = [...errors];
    result.durationMs = Date.now() - started;
    ctx.lastAudit = { result, roots };
    const folders = ctx.analysis.folders;
    const coversWorkspace = folders.every((f) => roots.some((r) => f === r || f.startsWith(r + path.sep)));
    ctx.inventory.seedFromAudit(result.files, result.listeners, coversWorkspace);
    ctx.log(`audit: ${result.files.length} files, ${result.findings.length} findings, ${result.skipped.length} skipped in ${result.durationMs} ms`);
    return {
      findings: result.findings,
      listeners: result.listeners,
      skipped: result.skipped,
      configErrors: result.configErrors,
      files: result.files.length,
      durationMs: result.durationMs,
      roots,
    };
  } finally {
    progress.done();
    ctx.status({ state: 'idle' });
  }
}

/** The folders to audit: those asked for (file: URIs only), else the workspace folders. */
function auditRoots(ctx: ServerContext, params: AuditParams): string[] {
  const asked = isObject(params) && Array.isArray(params.uris) ? params.uris : [];
  const paths = asked.filter((u): u is string => typeof u === 'string').map(uriToPath).filter((p): p is string => !!p);
  return paths.length ? paths : [...ctx.analysis.folders];
}

/** The client's progress token if it sent one, else a server-created progress if it supports that. */
async function progressReporter(ctx: ServerContext, params: AuditParams): Promise<WorkDoneProgressReporter> {
  const token = isObject(params) ? params.workDoneToken : undefined;
  if (typeof token === 'string' || typeof token === 'number') return ctx.connection.window.attachWorkDoneProgress(token);
  if (ctx.client.workDoneProgress) {
    try {
      return await ctx.connection.window.createWorkDoneProgress();
    } catch {
      /* the client refused: run without progress */
    }
  }
  return ctx.connection.window.attachWorkDoneProgress(undefined);
}
