// Output formats of `linger audit`: stylish text, JSON (the documented shape) and SARIF 2.1.0.
import * as path from 'path';
import { RULES } from '../rules';
import { AnalysisResult, Finding, Severity } from '../core/types';
import { VERSION } from '../core/version';

export type Display = (absFile: string) => string;

export function toJson(result: AnalysisResult, display: Display): string {
  const findings = result.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: display(f.file),
    line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn,
    related: f.related.map((r) => ({ file: display(r.file), line: r.line, column: r.column, message: r.message })),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      edits: x.edits.map((e) => ({ file: display(e.file), line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, newText: e.newText })),
    })),
  }));
  const listeners = result.listeners.map((l) => ({ ...l, file: display(l.file) }));
  return JSON.stringify({
    tool: { name: 'linger', version: VERSION },
    findings,
    listeners,
    summary: {
      files: result.files.length,
      skipped: result.skipped.map((s) => ({ file: display(s.file), reason: s.reason })),
      findings: result.findings.length,
      durationMs: result.durationMs,
    },
  }, null, 2);
}

const COLORS = { red: 31, yellow: 33, blue: 34, gray: 90, underline: 4, bold: 1 } as const;

export function toText(result: AnalysisResult, display: Display, color: boolean): string {
  const c = (k: keyof typeof COLORS, s: string) => (color ? `\x1b[${COLORS[k]}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'gray' };
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    out.push(c('underline', display(file)));
    for (const f of findings) {
      const pos = `${f.line}:${f.column}`.padEnd(8);
      out.push(`  ${c('gray', pos)} ${c(sevColor[f.severity], f.severity.padEnd(7))} ${f.message}  ${c('gray', f.ruleId)}`);
      for (const r of f.related) out.push(`  ${' '.repeat(8)} ${' '.repeat(7)}   ${c('gray', `↳ ${r.line}:${r.column} ${r.message}`)}`);
    }
    out.push('');
  }
  if (result.listeners.length) {
    out.push(c('bold', 'Listeners'));
    out.push(`  ${'location'.padEnd(40)} ${'api'.padEnd(28)} ${'port'.padEnd(6)} ${'SO_REUSEADDR'.padEnd(13)} reusePort`);
    for (const l of result.listeners) {
      const loc = `${display(l.file)}:${l.line}:${l.column}`;
      out.push(`  ${loc.padEnd(40)} ${l.api.padEnd(28)} ${String(l.port ?? '-').padEnd(6)} ${l.reuseAddr.padEnd(13)} ${l.reusePort}`);
    }
    out.push('');
  }
  for (const s of result.skipped) out.push(c('gray', `skipped ${display(s.file)}: ${s.reason}`));
  for (const e of result.configErrors) out.push(c('red', `config: ${e}`));
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of result.findings) counts[f.severity]++;
  const problems = result.findings.length;
  const summary = problems
    ? `✖ ${problems} problem${problems === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}${counts.info + counts.hint ? `, ${counts.info + counts.hint} info/hint` : ''})`
    : '✔ no problems';
  out.push(c(problems ? (counts.error ? 'red' : 'yellow') : 'bold', summary) +
    c('gray', ` in ${result.files.length} file${result.files.length === 1 ? '' : 's'}${result.skipped.length ? `, ${result.skipped.length} skipped` : ''} (${result.durationMs} ms)`));
  return out.join('\n');
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function toSarif(result: AnalysisResult, root: string): string {
  const uri = (abs: string) => {
    const rel = path.relative(root, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : `file://${abs}`;
  };
  const region = (r: { line: number; column: number; endLine?: number; endColumn?: number }) => ({
    startLine: r.line, startColumn: r.column, ...(r.endLine ? { endLine: r.endLine, endColumn: r.endColumn } : {}),
  });
  const rules = RULES.map((r) => ({
    id: r.meta.id,
    name: r.meta.id.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase()),
    shortDescription: { text: r.meta.description },
    fullDescription: { text: r.meta.description },
    helpUri: `https://github.com/linger-dev/linger/blob/main/${r.meta.docs}`,
    help: { text: `${r.meta.description} See ${r.meta.docs}.` },
    defaultConfiguration: { level: r.meta.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.meta.defaultSeverity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = result.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' }, region: region(f) } }],
    relatedLocations: f.related.map((r, i) => ({
      id: i + 1,
      message: { text: r.message },
      physicalLocation: { artifactLocation: { uri: uri(r.file), uriBaseId: '%SRCROOT%' }, region: region(r) },
    })),
    ...(f.fixes.length ? {
      fixes: f.fixes.map((x) => ({
        description: { text: x.title },
        artifactChanges: groupEdits(x.edits).map(([file, edits]) => ({
          artifactLocation: { uri: uri(file), uriBaseId: '%SRCROOT%' },
          replacements: edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
        })),
      })),
    } : {}),
    partialFingerprints: { primaryLocationLineHash: `${f.ruleId}:${uri(f.file)}:${f.line}` },
  }));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'linger', version: VERSION, semanticVersion: VERSION, informationUri: 'https://github.com/linger-dev/linger', rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${root.endsWith('/') ? root : `${root}/`}` } },
      results,
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: result.skipped.map((s) => ({ level: 'note', message: { text: `skipped ${s.file}: ${s.reason}` } })),
      }],
    }],
  }, null, 2);
}

function groupEdits<T extends { file: string }>(edits: T[]): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const e of edits) m.set(e.file, [...(m.get(e.file) ?? []), e]);
  return [...m];
}
