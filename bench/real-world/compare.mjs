#!/usr/bin/env node
// Per rule, the judged findings the current build reports (TP/FP, precision); and which judged
// findings it no longer reports: lost TPs are recall regressions, gone FPs are the fixes working. Audits the checkouts that ../shared/real-world/audit.mjs made
// (~/.cache/linger-real-world/src, or $LINGER_RW/src) with this project's CLI.
// Usage: node bench/real-world/compare.mjs [verdicts.json] [--only name,name] [--fp] (--fp lists the FPs still reported)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const verdictsPath = resolve(args.find((a) => a.endsWith('.json')) ?? join(root, 'bench/real-world/verdicts.json'));
const only = (() => { const i = args.indexOf('--only'); return i >= 0 ? new Set(args[i + 1].split(',')) : null; })();
const verdicts = JSON.parse(readFileSync(verdictsPath, 'utf8'));
const src = join(process.env.LINGER_RW ?? join(homedir(), '.cache/linger-real-world'), 'src');
const key = (repo, rule, file, line) => `${repo}|${rule}|${file}|${line}`;
const lost = [];
const fps = [];
const gone = { TP: 0, FP: 0, unsure: 0 };
const perRule = {}; // rule -> { TP, FP, unsure, open }
for (const dir of existsSync(src) ? readdirSync(src).sort() : []) {
  const name = dir.split('@')[0];
  if (only && !only.has(name)) continue;
  const cwd = join(src, dir);
  const commit = dir.split('@')[1];
  let out;
  try { out = execFileSync(process.execPath, [join(root, 'bin/linger.js'), 'audit', '.', '--format', 'json'], { cwd, encoding: 'utf8', maxBuffer: 512 << 20 }); }
  catch (e) { out = e.stdout; }
  const findings = JSON.parse(out).findings;
  const now = new Set(findings.map((f) => key(name, f.ruleId, relative(cwd, resolve(cwd, f.file)), f.line)));
  const byKey = new Map(verdicts.filter((v) => v.repo === name).map((v) => [key(v.repo, v.rule, v.file, v.line), v]));
  for (const f of findings) {
    const v = byKey.get(key(name, f.ruleId, relative(cwd, resolve(cwd, f.file)), f.line));
    const c = (perRule[f.ruleId] ??= { TP: 0, FP: 0, unsure: 0, open: 0 });
    c[v ? v.verdict : 'open']++;
    if (v?.verdict === 'FP') fps.push(`  ${name} ${f.ruleId} ${v.file}:${f.line}  (${v.reason})`);
  }
  for (const v of verdicts) {
    if (v.repo !== name || !v.commit?.startsWith(commit) || now.has(key(v.repo, v.rule, v.file, v.line))) continue;
    gone[v.verdict] = (gone[v.verdict] ?? 0) + 1;
    if (v.verdict === 'TP') lost.push(`  ${v.repo} ${v.rule} ${v.file}:${v.line}  (${v.reason})`);
  }
}
for (const [rule, c] of Object.entries(perRule).sort()) {
  const judged = c.TP + c.FP;
  console.log(`${rule.padEnd(28)} TP ${c.TP}, FP ${c.FP}, unsure ${c.unsure}, no verdict ${c.open}; precision ${judged ? (c.TP / judged).toFixed(2) : 'n/a'}`);
}
console.log(`no longer reported: ${gone.TP} TP, ${gone.FP} FP, ${gone.unsure} unsure`);
if (lost.length) console.log(`lost true positives:\n${lost.join('\n')}`);
if (args.includes('--fp') && fps.length) console.log(`false positives still reported:\n${fps.join('\n')}`);
