// The fuzzer's "shape" oracle (scripts/fuzz.mjs): an analysis result is well formed.
import * as path from 'node:path';

/** Positions of findings, fixes, related locations and listeners lie inside the text (editor line breaks: \n, \r\n, \r). */
export function checkShape(r, file, text) {
  if (!r || typeof r !== 'object') return 'result is not an object';
  if (path.resolve(r.file) !== path.resolve(file)) return `result.file ${r.file} is not ${file}`;
  for (const k of ['findings', 'listeners', 'configErrors']) if (!Array.isArray(r[k])) return `result.${k} is not an array`;
  if (r.skipped !== undefined && (typeof r.skipped !== 'string' || !r.skipped.trim())) return `skipped without a reason: ${JSON.stringify(r.skipped)}`;
  if (r.skipped && (r.findings.length || r.listeners.length)) return 'skipped but has findings';
  if (!Number.isFinite(r.durationMs)) return 'durationMs is not a number';
  const lines = text.split(/\r\n|\r|\n/);
  const inside = (line, col, what) => {
    if (!Number.isInteger(line) || !Number.isInteger(col) || line < 1 || col < 1) return `${what}: bad position ${line}:${col}`;
    if (line > lines.length) return `${what}: line ${line} past the end (${lines.length} lines)`;
    if (col > lines[line - 1].length + 1) return `${what}: column ${col} past the end of line ${line} (${lines[line - 1].length} characters)`;
    return undefined;
  };
  const range = (x, what) => inside(x.line, x.column, what) ?? inside(x.endLine, x.endColumn, `${what} end`)
    ?? (x.endLine < x.line || (x.endLine === x.line && x.endColumn < x.column) ? `${what}: end before start` : undefined);
  for (const f of r.findings) {
    if (typeof f.message !== 'string' || !f.message || typeof f.ruleId !== 'string') return 'finding without message or rule';
    const p = range(f, `finding ${f.ruleId}`);
    if (p) return p;
    for (const rel of f.related ?? []) {
      if (path.resolve(rel.file) !== path.resolve(file)) continue;
      const q = range(rel, `related location of ${f.ruleId}`);
      if (q) return q;
    }
    for (const fix of f.fixes ?? []) {
      if (typeof fix.title !== 'string' || !Array.isArray(fix.edits)) return 'fix without title or edits';
      for (const e of fix.edits) {
        if (path.resolve(e.file) !== path.resolve(file)) continue;
        const q = range(e, `edit of fix "${fix.title}"`);
        if (q) return q;
      }
    }
  }
  for (const l of r.listeners) {
    const p = inside(l.line, l.column, `listener ${l.api}`);
    if (p) return p;
  }
  return undefined;
}
