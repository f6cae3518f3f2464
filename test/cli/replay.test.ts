// The replay of `linger audit --cache` (server/src/cli/replay.ts): when nothing the previous cached
// run looked at has changed, its report is printed from the cache without loading the analyzer; any
// change — a file's text, a new file, a config where there was none, a link pointing elsewhere,
// other arguments — and the audit runs, with the result a full audit gives. In-process (the replay
// answers undefined when it cannot replay), and once through bin/linger.js with the analyzer's
// bundle removed, which only a replay survives.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { replayAudit } from '../../server/src/cli/replay';
import { Io } from '../../server/src/cli/io';
import { cleanup, ROOT, workspace } from '../robustness/helpers';
import { cachedProject, CLOSES, KEEPS, OTHER } from './cached-project';

const CLEAN = 'export const answer = 42;\n';

type Run = { code: number; stdout: string; stderr: string };

function io(cwd: string, out: { stdout: string[]; stderr: string[] }): Io {
  return { cwd, stdout: (s) => out.stdout.push(s), stderr: (s) => out.stderr.push(s), env: {}, isTTY: false };
}

/** `linger audit <args>` in-process (from the sources). */
async function audit(cwd: string, args: string[]): Promise<Run> {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const code = await main(['audit', ...args], io(cwd, out));
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

/** The replay of `linger audit <args>`, or undefined when it would not replay. */
function replay(cwd: string, args: string[]): Run | undefined {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const code = replayAudit(args, io(cwd, out));
  return code === undefined ? undefined : { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

/** A report without the figures that differ between runs (duration, how many came from the cache). */
function normal(r: Run): Run {
  return { ...r, stdout: r.stdout.replace(/"durationMs": \d+/g, '"durationMs": 0').replace(/(, \d+ from the cache)? \(\d+ ms\)/g, '') };
}

describe('linger audit --cache: the replay of an unchanged run', () => {
  let d: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    fs.writeFileSync(path.join(d, rel), text);
  };
  /** After a change: no replay; the cached audit gives a full audit's report; the run after it replays that. */
  const changedThenReplayed = async (args: string[], why: string) => {
    assert.equal(replay(d, args), undefined, `${why}: no replay`);
    const cached = await audit(d, args);
    const full = await audit(d, args.filter((x) => x !== '--cache'));
    // (the full run deleted the cache, as ESLint does: fill it again)
    await audit(d, args);
    assert.deepEqual(normal(cached), normal(full), `${why}: the cached audit is the full audit`);
    const again = replay(d, args);
    assert.ok(again, `${why}: the next run replays`);
    assert.deepEqual(normal(again), normal(full), `${why}: the replay is the full audit`);
    return full;
  };

  beforeEach(() => {
    d = cachedProject('replayed', { 'src/lib/clean.ts': CLEAN });
  });
  afterEach(() => cleanup(d));

  it('prints what the cached audit prints, in every format and with every reporting option', async () => {
    assert.equal(replay(d, ['--cache']), undefined, 'no cache yet');
    await audit(d, ['--cache']);
    for (const extra of [[], ['--format', 'json'], ['--quiet'], ['--max-warnings', '1'], ['--color'], ['--report-unused-disable-directives']]) {
      const args = ['--cache', ...extra];
      const replayed = replay(d, args);
      assert.ok(replayed, `${extra.join(' ')}: replayed`);
      const cached = await audit(d, args);
      assert.deepEqual(normal(replayed), normal(cached), extra.join(' '));
    }
    const r = replay(d, ['--cache'])!;
    assert.equal(r.code, 1, 'a warning, and no warning allowed by default');
    assert.match(r.stdout, /✖ 1 problem \(0 errors, 1 warning\) in 4 files, 4 from the cache \(\d+ ms\)$/);
    assert.equal(replay(d, ['--cache', '--max-warnings', '1'])!.code, 0);
    // --output: the report goes to the file.
    assert.equal(replay(d, ['--cache', '--format', 'json', '--output', 'out/report.json'])!.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(path.join(d, 'out', 'report.json'), 'utf8')).findings.length, 1);
    // --cache-location, a file or a folder, here in folders the audit lists: the record is in that
    // cache, made with the cache in place, so the next run replays.
    for (const location of ['custom.cache', 'tmp/caches/']) {
      const args = ['--cache', '--cache-location', location, '--format', 'json'];
      assert.equal(replay(d, args), undefined, `${location}: nothing recorded there yet`);
      const cached = await audit(d, args);
      const replayed = replay(d, args);
      assert.ok(replayed, `${location}: replayed`);
      assert.deepEqual(normal(replayed), normal(cached), location);
    }
  });

  it('does not replay when a file or the files around it changed, and then reports what a full audit does', async () => {
    await audit(d, ['--cache']);
    write('src/other.ts', CLEAN);
    assert.equal((await changedThenReplayed(['--cache'], 'a file edited')).stdout.includes('1 problem'), false);
    write('src/helper.ts', KEEPS);
    assert.match((await changedThenReplayed(['--cache'], 'an imported helper edited')).stdout, /1 problem/);
    write('src/lib/deeper/new.ts', OTHER);
    assert.match((await changedThenReplayed(['--cache'], 'a file in a new folder')).stdout, /2 problems .* in 5 files/);
    fs.rmSync(path.join(d, 'src', 'lib', 'deeper'), { recursive: true });
    await changedThenReplayed(['--cache'], 'a folder removed');
    write('src/.lingercache.ts', OTHER);
    assert.match((await changedThenReplayed(['--cache'], 'a source file named like the cache')).stdout, /2 problems .* in 5 files/);
    fs.rmSync(path.join(d, 'src', '.lingercache.ts'));
    await changedThenReplayed(['--cache'], 'that file removed');
    write('src/.lingerrc.json', '{"rules":{"unclosed-connection":"off"}}');
    assert.doesNotMatch((await changedThenReplayed(['--cache'], 'a config where there was none')).stdout, /✖/);
    write('src/.lingerrc.json', '{"rules":{"unclosed-connection":"error"}}');
    assert.match((await changedThenReplayed(['--cache'], 'a config edited')).stdout, /1 error/);
    write('package.json', '{"name":"replayed","private":true,"version":"2.0.0"}');
    await changedThenReplayed(['--cache'], 'package.json edited');
    write('tsconfig.json', '{"compilerOptions":{"strict":true},"include":["src/lib"]}');
    await changedThenReplayed(['--cache', '--project', 'tsconfig.json'], 'other arguments');
    write('tsconfig.json', '{"compilerOptions":{"strict":true},"include":["src"]}');
    assert.match((await changedThenReplayed(['--cache', '--project', 'tsconfig.json'], 'the files of --project changed')).stdout, / in 4 files/);
    await changedThenReplayed(['--cache', '--rule', 'unclosed-connection=off'], 'a rule set on the command line');
    await changedThenReplayed(['--cache', 'src/lib'], 'other paths');
  });

  it('follows links: a link that points elsewhere is a change', async () => {
    write('alt/keeps.ts', KEEPS);
    fs.rmSync(path.join(d, 'src', 'helper.ts'));
    fs.symlinkSync(path.join(d, 'src', 'lib', 'clean.ts'), path.join(d, 'src', 'helper.ts'));
    write('src/lib/clean.ts', CLOSES);
    await audit(d, ['--cache']);
    assert.ok(replay(d, ['--cache']));
    fs.rmSync(path.join(d, 'src', 'helper.ts'));
    fs.symlinkSync(path.join(d, 'alt', 'keeps.ts'), path.join(d, 'src', 'helper.ts'));
    assert.equal(replay(d, ['--cache']), undefined, 'the link points elsewhere');
  });

  it('replays SARIF only as the recorded run printed it (SARIF needs the analyzer to be written)', async () => {
    await audit(d, ['--cache']);
    assert.equal(replay(d, ['--cache', '--format', 'sarif']), undefined, 'the run before printed text');
    const printed = await audit(d, ['--cache', '--format', 'sarif']);
    assert.ok(replay(d, ['--cache']), 'text and JSON are written by the replay itself');
    const replayed = replay(d, ['--cache', '--format', 'sarif', '--output', 'linger.sarif']);
    assert.ok(replayed);
    assert.equal(fs.readFileSync(path.join(d, 'linger.sarif'), 'utf8'), `${printed.stdout}\n`);
    assert.equal(replayed.code, printed.code);
    assert.equal(JSON.parse(printed.stdout).runs[0].results.length, 1);
    assert.equal(replay(d, ['--cache', '--format', 'sarif', '--quiet']), undefined, 'other options shape the report');
  });

  it('does not replay --fix or --shard, or from a cache that was tampered with', async () => {
    await audit(d, ['--cache']);
    for (const extra of [['--fix'], ['--fix-dry-run'], ['--shard', '1/2'], ['--help']]) {
      assert.equal(replay(d, ['--cache', ...extra]), undefined, extra.join(' '));
    }
    assert.equal(replay(d, []), undefined, 'without --cache');
    assert.equal(replay(d, ['--cache', '--no-such-option']), undefined, 'bad usage: the audit says what is wrong');
    const cacheFile = path.join(d, '.lingercache');
    const good = fs.readFileSync(cacheFile, 'utf8');
    const tamper = (f: (c: any) => void) => {
      const c = JSON.parse(good);
      f(c);
      fs.writeFileSync(cacheFile, JSON.stringify(c));
    };
    tamper((c) => { c.replay.observed[0][2] = 'elsewhere'; });
    assert.equal(replay(d, ['--cache']), undefined, 'an observation that no longer holds');
    tamper((c) => { c.replay.observed.push(['unlink', d, 'yes']); });
    assert.equal(replay(d, ['--cache']), undefined, 'an operation the replay does not know');
    tamper((c) => { c.replay.files = 'all'; });
    assert.equal(replay(d, ['--cache']), undefined, 'files of another shape');
    tamper((c) => { delete c.files[c.replay.files[0]]; });
    assert.equal(replay(d, ['--cache']), undefined, 'an entry missing');
    tamper((c) => { c.files[c.replay.files[0]].outcome.findings = null; });
    assert.equal(replay(d, ['--cache']), undefined, 'an outcome of another shape');
    // A file outside the workspace, with the digest it really has: a record naming it is not replayed, and the file is not opened.
    const outside = workspace({ 'secret.ts': 'export const key = 1;\n' }, 'linger-replay-outside-');
    const secret = path.join(outside, 'secret.ts');
    const { readDigest } = require('../../server/src/core/fs-observation');
    const opened: string[] = [];
    const fsModule = require('fs') as { openSync: typeof fs.openSync }; // the module object the replay calls
    const openSync = fsModule.openSync;
    try {
      tamper((c) => { c.replay.observed.push([`read:100`, secret, readDigest({ text: fs.readFileSync(secret, 'utf8') })]); });
      fsModule.openSync = ((p: fs.PathLike, ...rest: never[]) => {
        opened.push(String(p));
        return (openSync as (...a: unknown[]) => number)(p, ...rest);
      }) as typeof fs.openSync;
      assert.equal(replay(d, ['--cache']), undefined, 'a read outside the workspace');
      tamper((c) => { c.replay.observed.push(['readdir', outside, 'x']); });
      assert.equal(replay(d, ['--cache']), undefined, 'a folder listed outside the workspace');
    } finally {
      fsModule.openSync = openSync;
      cleanup(outside);
    }
    assert.ok(!opened.some((p) => p.startsWith(outside)), opened.join(' '));
    assert.ok(opened.length > 0, 'the replay opens files through fs.openSync (else this check sees nothing)');
    tamper((c) => { c.tool = 'another build'; });
    assert.equal(replay(d, ['--cache']), undefined, 'another build of linger');
    fs.writeFileSync(cacheFile, good);
    assert.ok(replay(d, ['--cache']), 'the untouched cache replays');
  });

  it('runs from bin/linger.js without the analyzer: only dist/replay.js is loaded', () => {
    // A copy of the tool without the analyzer's bundle: a run that needs it fails, a replay does not.
    const tool = workspace({}, 'linger-replay-tool-');
    try {
      for (const f of ['bin/linger.js', 'bin/compile-cache.js', 'dist/cli.js', 'dist/replay.js', 'package.json']) {
        fs.mkdirSync(path.dirname(path.join(tool, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(tool, f));
      }
      const cli = path.join(tool, 'bin', 'linger.js');
      const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'audit', '--max-warnings', '9', ...args], { cwd: d, encoding: 'utf8', timeout: 60_000 });
      const first = run('--cache', '--format', 'json');
      assert.equal(first.status, 0, first.stderr + first.stdout);
      fs.rmSync(path.join(tool, 'dist', 'cli.js'));
      const replayed = run('--cache', '--format', 'json');
      assert.equal(replayed.status, 0, replayed.stderr);
      assert.deepEqual(normal({ code: 0, stdout: replayed.stdout, stderr: '' }), normal({ code: 0, stdout: first.stdout, stderr: '' }));
      write('src/other.ts', CLEAN);
      const changed = run('--cache', '--format', 'json');
      assert.notEqual(changed.status, 0, 'a change needs the analyzer, which is gone');
      assert.match(changed.stderr, /cli\.js/);
    } finally {
      cleanup(tool);
    }
  });
});
