#!/usr/bin/env node
// node /tmp/check-labels.mjs <set folder>: checks expected.json against projects/ (no analyzer is run).
import * as fs from 'node:fs';
import * as path from 'node:path';
const RULES = ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection', 'connection-churn'];
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
const set = path.resolve(process.argv[2] ?? '.');
const PROJECTS = path.join(set, 'projects');
function walk(dir, base = dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') walk(full, base, out); }
    else if (SOURCE.test(e.name)) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}
const labels = JSON.parse(fs.readFileSync(path.join(set, 'expected.json'), 'utf8'));
const problems = [];
const files = walk(PROJECTS).sort();
const positive = new Set();
for (const f of labels.findings) {
  for (const k of ['file', 'line', 'rule', 'code', 'why']) if (!(k in f)) problems.push(`${JSON.stringify(f)}: no ${k}`);
  if (!RULES.includes(f.rule)) problems.push(`${f.file}:${f.line}: unknown rule ${f.rule}`);
  const abs = path.join(PROJECTS, f.file);
  if (!fs.existsSync(abs)) { problems.push(`${f.file}: no such file`); continue; }
  const line = fs.readFileSync(abs, 'utf8').split('\n')[f.line - 1] ?? '';
  if (!line.includes(f.code)) problems.push(`${f.file}:${f.line}: the line does not contain ${JSON.stringify(f.code)}`);
  if (!f.tolerated) positive.add(f.file);
}
for (const file of files) if (!positive.has(file) && !(file in labels.negatives)) problems.push(`${file}: neither a finding nor a negative`);
for (const file of Object.keys(labels.negatives)) {
  if (!files.includes(file)) problems.push(`${file}: listed as a negative but does not exist`);
  if (positive.has(file)) problems.push(`${file}: listed as a negative and has findings`);
}
const byRule = {};
for (const f of labels.findings) if (!f.tolerated) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
if (problems.length) { console.error('problems:\n  ' + problems.join('\n  ')); process.exit(1); }
console.log(`ok: ${files.length} files, ${labels.findings.length} labels`, byRule, `${Object.keys(labels.negatives).length} negatives`);
