// Getting diagnostics to the client: pulled (`textDocument/diagnostic`) when it supports that, else
// pushed (`textDocument/publishDiagnostics`) after a short debounce. Either way, a result computed
// for a version the user has already typed past is dropped, never shown.
import {
  CancellationToken,
  Diagnostic,
  DocumentDiagnosticParams,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentResult } from './analysis';
import { ServerContext } from './context';
import { documentUri } from './guards';
import { openingOf } from './documents';
import { cancelled, yieldToEventLoop } from './safe';
import { isSysctlDocument, sysctlDocumentDiagnostics } from './sysctl';

/** Delay between the last keystroke and analysis when pushing (pull clients pace themselves). */
export const PUSH_DEBOUNCE_MS = 150;

/** Analyse `doc` for the settings of its resource, reporting progress through `linger/status`. */
export async function analyzeDocument(ctx: ServerContext, doc: TextDocument): Promise<DocumentResult> {
  const settings = await ctx.settings.get(doc.uri);
  // In `onSave` mode, keep showing the result of the last analysis until the next save (which
  // invalidates results); only a document never analysed is analysed as it is.
  const previous = ctx.analysis.last(doc.uri);
  if (settings.run === 'onSave' && previous?.context === ctx.analysis.contextKey(ctx.settings.generation)) return previous;
  if (!settings.enable) ctx.status({ state: 'disabled', uri: doc.uri });
  ctx.analysis.allowParentConfigs(settings.parentConfigs);
  const result = await ctx.analysis.analyze(doc, settings, ctx.settings.generation);
  // Over the size cap: no diagnostic, but the status (and the log, once per version) says why.
  if (result.oversize) ctx.logOnce(`${doc.uri}@${openingOf(doc)}.${result.version}`, `${doc.uri} not analysed: ${result.analysis.skipped}`);
  if (settings.enable) {
    ctx.status({
      state: 'idle',
      uri: doc.uri,
      durationMs: result.analysis.durationMs,
      findings: result.analysis.findings.length,
      skipped: result.analysis.skipped,
    });
  }
  ctx.reportConfigErrors(result.analysis.configErrors);
  if (!result.analysis.excluded && !result.analysis.skipped) ctx.inventory.noteDocument(doc.uri, result.analysis.listeners);
  return result;
}

export async function pullDiagnostics(ctx: ServerContext, params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
  const uri = documentUri(params);
  const doc = ctx.documents.get(uri);
  // Not open (or never opened): nothing to say, and an empty report is what clients expect.
  if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const version = doc.version;
  await yieldToEventLoop();
  if (token.isCancellationRequested) throw cancelled();
  const now = ctx.documents.get(uri);
  if (!now || now.version !== version) throw serverCancelled();
  if (isSysctlDocument(uri, now.languageId)) {
    const sysctl = await sysctlDocumentDiagnostics(ctx, now);
    if (token.isCancellationRequested) throw cancelled();
    if (ctx.documents.get(uri)?.version !== version) throw serverCancelled();
    if (typeof params.previousResultId === 'string' && params.previousResultId === sysctl.resultId) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: sysctl.resultId };
    }
    return { kind: DocumentDiagnosticReportKind.Full, resultId: sysctl.resultId, items: sysctl.diagnostics };
  }
  const result = await analyzeDocument(ctx, now);
  if (token.isCancellationRequested) throw cancelled();
  if (ctx.documents.get(uri)?.version !== version) throw serverCancelled();
  // The traced sites are part of the result: new ones must not be answered "unchanged".
  const resultId = `${result.resultId}.t${ctx.traced.generation}`;
  if (typeof params.previousResultId === 'string' && params.previousResultId === resultId) {
    return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  }
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items: ctx.traced.decorate(uri, result.diagnostics) };
}

/** The document changed while we worked: the client will ask again for the new version. */
function serverCancelled(): ResponseError<{ retriggerRequest: boolean }> {
  return new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: false });
}

/** Debounced push for clients without pull diagnostics. */
export class PushScheduler {
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(private ctx: ServerContext, private debounceMs = PUSH_DEBOUNCE_MS) {}

  schedule(uri: string, delay = this.debounceMs): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri).catch((e) => this.ctx.log(`diagnostics of ${uri} failed: ${(e as Error)?.stack ?? e}`));
    }, delay));
  }

  scheduleAll(): void {
    for (const doc of this.ctx.documents.all()) this.schedule(doc.uri);
  }

  /** The document closed: withdraw its diagnostics. */
  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async run(uri: string): Promise<void> {
    const doc = this.ctx.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = isSysctlDocument(uri, doc.languageId)
        ? (await sysctlDocumentDiagnostics(this.ctx, doc)).diagnostics
        : this.ctx.traced.decorate(uri, (await analyzeDocument(this.ctx, doc)).diagnostics);
    } catch (e) {
      this.ctx.log(`analysis of ${uri} failed: ${(e as Error)?.stack ?? e}`);
      return;
    }
    // Typed past it while settings were fetched or analysis ran: a newer run is already scheduled.
    if (this.ctx.documents.get(uri)?.version !== version) return;
    await this.ctx.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
