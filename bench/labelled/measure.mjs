#!/usr/bin/env node
// Measures Linger's leak rules on the independent labelled set in this folder.
//
//   node bench/labelled/measure.mjs [--env bare|typed|both] [--no-build] [--json <file>] [--set <folder>]
//
// Each project under projects/ is copied to a scratch folder and audited from its root, as a user
// would run it: `node bin/linger.js audit --format json`. The findings of the four leak rules are
// compared with expected.json by file, rule and line. Per rule it prints TP, FP, FN, precision and
// recall, then every FP and FN.
//
// Environments:
//   bare   a temporary folder outside this repository, no node_modules (the default);
//   typed  a folder inside the typed environment of test/helpers/environments.ts
//          (~/.cache/linger-typed-env/<hash>/, with @types/node and the libraries' own typings
//          installed; installed here with `npm ci` if it is missing);
//   both   the two, then the findings that differ between them.
//
// --set <folder>: another labelled set laid out like this one (<folder>/projects/<project>/…,
// <folder>/expected.json), e.g. one kept outside the repository so that it stays independent.
//
// Labels are not tuned case by case against Linger: see README.md in this folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULES = ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection', 'connection-churn'];
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

function usage(message) {
  if (message) console.error(`measure.mjs: ${message}`);
  console.error('usage: node bench/labelled/measure.mjs [--env bare|typed|both] [--no-build] [--json <file>] [--set <folder>]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { env: 'bare', build: true, json: undefined, set: path.dirname(fileURLToPath(import.meta.url)) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--env') {
      opts.env = argv[++i];
      if (!['bare', 'typed', 'both'].includes(opts.env)) usage(`unknown environment '${opts.env}'`);
    } else if (a === '--no-build') opts.build = false;
    else if (a === '--json') {
      opts.json = argv[++i];
      if (!opts.json) usage('--json needs a file');
    } else if (a === '--set') {
      if (!argv[i + 1]) usage('--set needs a folder');
      opts.set = path.resolve(argv[++i]);
      if (!fs.existsSync(path.join(opts.set, 'expected.json')) || !fs.existsSync(path.join(opts.set, 'projects'))) usage(`${opts.set} has no expected.json and projects/ folder`);
    } else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument '${a}'`);
  }
  return opts;
}

function walk(dir, base = dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, out);
    else if (SOURCE.test(entry.name)) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** expected.json, checked against the files: every label's line holds its code, every file is labelled. */
function loadLabels() {
  const labels = JSON.parse(fs.readFileSync(path.join(HERE, 'expected.json'), 'utf8'));
  const problems = [];
  const files = walk(PROJECTS).sort();
  const positive = new Set();
  for (const f of labels.findings) {
    if (!RULES.includes(f.rule)) problems.push(`${f.file}:${f.line}: unknown rule ${f.rule}`);
    const abs = path.join(PROJECTS, f.file);
    if (!fs.existsSync(abs)) {
      problems.push(`${f.file}: no such file`);
      continue;
    }
    const line = fs.readFileSync(abs, 'utf8').split('\n')[f.line - 1] ?? '';
    if (!line.includes(f.code)) problems.push(`${f.file}:${f.line}: the line does not contain ${JSON.stringify(f.code)} (was the file edited?)`);
    if (!f.tolerated) positive.add(f.file);
  }
  for (const file of files) {
    if (!positive.has(file) && !(file in labels.negatives)) problems.push(`${file}: neither a finding nor a negative in expected.json`);
  }
  for (const file of Object.keys(labels.negatives)) {
    if (!files.includes(file)) problems.push(`${file}: listed as a negative but does not exist`);
    if (positive.has(file)) problems.push(`${file}: listed as a negative and has findings`);
  }
  if (problems.length) {
    console.error('expected.json does not match the projects:\n  ' + problems.join('\n  '));
    process.exit(1);
  }
  return { ...labels, files };
}

/** The typed environment of test/helpers/environments.ts, installed if missing. */
function typedRoot() {
  const spec = path.join(REPO, 'test', 'typed-env');
  const pkg = fs.readFileSync(path.join(spec, 'package.json'));
  const lock = fs.readFileSync(path.join(spec, 'package-lock.json'));
  const hash = createHash('sha256').update(pkg).update(lock).digest('hex').slice(0, 16);
  const root = path.join(process.env.LINGER_TYPED_ENV ?? path.join(os.homedir(), '.cache', 'linger-typed-env'), hash);
  if (!fs.existsSync(path.join(root, '.installed'))) {
    console.error(`installing the typed environment in ${root} …`);
    fs.mkdirSync(root, { recursive: true });
    fs.copyFileSync(path.join(spec, 'package.json'), path.join(root, 'package.json'));
    fs.copyFileSync(path.join(spec, 'package-lock.json'), path.join(root, 'package-lock.json'));
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
    fs.writeFileSync(path.join(root, '.installed'), new Date().toISOString());
  }
  return root;
}

/** Audits every project copied under `parent`; returns the findings with project-relative files. */
function auditAll(envName, parent) {
  const scratch = fs.mkdtempSync(path.join(parent, `labelled-${envName}-`));
  const findings = [];
  const unanalysed = [];
  try {
    for (const project of fs.readdirSync(PROJECTS).sort()) {
      const src = path.join(PROJECTS, project);
      if (!fs.statSync(src).isDirectory()) continue;
      const dst = path.join(scratch, project);
      fs.cpSync(src, dst, { recursive: true });
      const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'linger.js'), 'audit', '--format', 'json', '--no-error-on-unanalysed'], {
        cwd: dst,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      let report;
      try {
        report = JSON.parse(run.stdout);
      } catch {
        throw new Error(`${project}: linger exited ${run.status} without a JSON report\n${run.stderr}`);
      }
      for (const f of report.findings) {
        const rel = path.relative(dst, path.resolve(dst, f.file)).split(path.sep).join('/');
        findings.push({ ...f, file: `${project}/${rel}` });
      }
      for (const s of report.summary?.skipped ?? []) {
        const rel = path.relative(dst, path.resolve(dst, s.file)).split(path.sep).join('/');
        unanalysed.push({ file: `${project}/${rel}`, reason: s.reason, fatal: s.fatal });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { findings, unanalysed };
}

const key = (f) => `${f.file}:${f.line}:${f.rule ?? f.ruleId}`;

/** Matches findings to labels: per rule counts, and every FP/FN. */
function score(labels, run) {
  const required = new Map();
  const tolerated = new Set();
  for (const l of labels.findings) (l.tolerated ? tolerated.add(key(l)) : required.set(key(l), l));
  const leak = run.findings.filter((f) => RULES.includes(f.ruleId));
  const other = run.findings.filter((f) => !RULES.includes(f.ruleId));
  const found = new Set();
  const fps = [];
  let toleratedHits = 0;
  for (const f of leak) {
    const k = key(f);
    if (required.has(k)) found.add(k);
    else if (tolerated.has(k)) toleratedHits++;
    else fps.push(f);
  }
  const fns = [...required.values()].filter((l) => !found.has(key(l)));
  const perRule = {};
  for (const rule of [...RULES, 'all']) {
    const mine = (x) => rule === 'all' || (x.rule ?? x.ruleId) === rule;
    const labelled = [...required.values()].filter(mine);
    const tp = labelled.filter((l) => found.has(key(l))).length;
    const fp = fps.filter(mine).length;
    const fn = labelled.length - tp;
    const inScope = labelled.filter((l) => !l.outOfScope);
    const tpIn = inScope.filter((l) => found.has(key(l))).length;
    perRule[rule] = {
      labelled: labelled.length, tp, fp, fn,
      precision: tp + fp ? tp / (tp + fp) : null,
      recall: labelled.length ? tp / labelled.length : null,
      recallInScope: inScope.length ? tpIn / inScope.length : null,
    };
  }
  return { perRule, fps, fns, toleratedHits, other, unanalysed: run.unanalysed };
}

const pct = (x) => (x === null ? '   –' : x.toFixed(2).padStart(4));

function print(envName, labels, s) {
  console.log(`\n== ${envName}: ${labels.files.length} files, ${labels.findings.filter((l) => !l.tolerated).length} labelled leaks, ${Object.keys(labels.negatives).length} negative files`);
  console.log('rule                          labelled   TP   FP   FN  precision  recall  recall (in scope)');
  for (const [rule, r] of Object.entries(s.perRule)) {
    console.log(
      `${rule.padEnd(30)}${String(r.labelled).padStart(8)}${String(r.tp).padStart(5)}${String(r.fp).padStart(5)}${String(r.fn).padStart(5)}` +
        `${pct(r.precision).padStart(11)}${pct(r.recall).padStart(8)}${pct(r.recallInScope).padStart(19)}`,
    );
  }
  if (s.toleratedHits) console.log(`(${s.toleratedHits} tolerated duplicate finding(s) neither counted as TP nor FP)`);
  const near = (x, others) => others.some((o) => o.file === x.file && (o.rule ?? o.ruleId) === (x.rule ?? x.ruleId));
  console.log(`\nFalse positives (${s.fps.length}):`);
  for (const f of s.fps) {
    const hint = near(f, s.fns) ? '  [same file and rule as a FN: location mismatch?]' : '';
    console.log(`  FP ${f.ruleId} ${f.file}:${f.line}${hint}\n     ${f.message}`);
  }
  console.log(`\nFalse negatives (${s.fns.length}):`);
  for (const l of s.fns) {
    const hint = near(l, s.fps) ? '  [same file and rule as a FP: location mismatch?]' : '';
    console.log(`  FN ${l.rule} ${l.file}:${l.line}${l.outOfScope ? ' (out of scope)' : ''}${hint}\n     ${l.why}`);
  }
  if (s.unanalysed.length) {
    console.log(`\nNot analysed or skipped (${s.unanalysed.length}):`);
    for (const u of s.unanalysed) console.log(`  ${u.file}: ${u.reason}${u.fatal ? ' (fatal)' : ''}`);
  }
  if (s.other.length) {
    console.log(`\nFindings of the other rules (not scored, ${s.other.length}):`);
    for (const f of s.other) console.log(`  ${f.ruleId} ${f.file}:${f.line}`);
  }
}

function differences(a, b) {
  const ka = new Map(a.findings.map((f) => [key({ ...f, rule: f.ruleId }), f]));
  const kb = new Map(b.findings.map((f) => [key({ ...f, rule: f.ruleId }), f]));
  return {
    onlyBare: [...ka.keys()].filter((k) => !kb.has(k)).sort(),
    onlyTyped: [...kb.keys()].filter((k) => !ka.has(k)).sort(),
  };
}

const opts = parseArgs(process.argv.slice(2));
const HERE = opts.set;
const PROJECTS = path.join(HERE, 'projects');
const labels = loadLabels();
if (opts.build) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });

const envs = opts.env === 'both' ? ['bare', 'typed'] : [opts.env];
const runs = {};
const result = {};
for (const env of envs) {
  const parent = env === 'bare' ? os.tmpdir() : typedRoot();
  runs[env] = auditAll(env, parent);
  result[env] = score(labels, runs[env]);
  print(env, labels, result[env]);
}
if (runs.bare && runs.typed) {
  const d = differences(runs.bare, runs.typed);
  result.differences = d;
  console.log(`\n== bare vs typed: ${d.onlyBare.length} finding(s) only without typings, ${d.onlyTyped.length} only with them`);
  for (const k of d.onlyBare) console.log(`  only bare:  ${k}`);
  for (const k of d.onlyTyped) console.log(`  only typed: ${k}`);
}
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2));
