// Exports of the last audit: SARIF through the CLI's own formatter (one SARIF writer in the
// project), and a Markdown report for pasting into an issue or a pull request.
import * as path from 'path';
import { toSarif } from '../cli/sarif';
import { RULES } from '../rules';
import { AnalysisResult } from '../core/types';
import { ExportReportParams, ExportReportResult } from '../protocol';
import { ServerContext } from './context';
import { invalidParams, isObject } from './guards';

export function exportReport(ctx: ServerContext, params: ExportReportParams): ExportReportResult {
  const format = isObject(params) ? params.format : undefined;
  if (format !== 'sarif' && format !== 'markdown') throw invalidParams('format must be "sarif" or "markdown"');
  const last = ctx.lastAudit;
  if (!last) return {};
  const root = last.roots[0] ?? process.cwd();
  return { text: format === 'sarif' ? toSarif(last.result, root) : toMarkdown(last.result, root) };
}

export function toMarkdown(result: AnalysisResult, root: string): string {
  const rel = (file: string) => {
    const r = path.relative(root, file);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r.split(path.sep).join('/') : file;
  };
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    '# Linger connection audit',
    '',
    `${result.files.length} files analysed, ${result.findings.length} findings, ${result.skipped.length} skipped, in ${result.durationMs} ms.`,
  ];
  for (const rule of RULES) {
    const findings = result.findings.filter((f) => f.ruleId === rule.meta.id);
    if (!findings.length) continue;
    out.push('', `## ${rule.meta.id} (${findings.length})`, '', rule.meta.description, '', '| Location | Severity | Message |', '|---|---|---|');
    for (const f of findings) out.push(`| \`${rel(f.file)}:${f.line}:${f.column}\` | ${f.severity} | ${cell(f.message)} |`);
  }
  if (result.listeners.length) {
    out.push('', `## Listeners (${result.listeners.length})`, '', '| Location | API | Port | SO_REUSEADDR | SO_REUSEPORT |', '|---|---|---|---|---|');
    for (const l of result.listeners) {
      out.push(`| \`${rel(l.file)}:${l.line}:${l.column}\` | \`${cell(l.api)}\` | ${l.port ?? '—'} | ${l.reuseAddr} | ${l.reusePort ? 'on' : 'off'} |`);
    }
  }
  if (result.skipped.length) {
    out.push('', `## Skipped (${result.skipped.length})`, '');
    for (const s of result.skipped) out.push(`- \`${rel(s.file)}\`: ${s.reason}`);
  }
  if (result.configErrors.length) {
    out.push('', '## Configuration problems', '');
    for (const e of result.configErrors) out.push(`- ${e}`);
  }
  return out.join('\n') + '\n';
}
