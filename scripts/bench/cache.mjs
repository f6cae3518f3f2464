// The --cache section of `npm run bench` (issue 12), moved here unchanged from scripts/bench.mjs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// --cache (issue 12), a section of its own. The same sources, copied to a scratch folder (the
// corpus stays untouched; node_modules is linked for the type declarations), audited interleaved:
// a full audit without the cache, a re-run with the cache over unchanged files (target: under a
// tenth of the full audit; it is the replay of the run before, server/src/cli/replay.ts), and
// a re-run after a helper changed (it and every file importing it,
// directly or not, are analysed again: the count comes from the text report's "N from the cache").
export async function cacheSection({ root, corpus, tsconfig, runs }) {
  const { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const scratch = mkdtempSync(join(tmpdir(), 'linger-bench-cache-'));
  try {
    const sourceTsconfig = JSON.parse(readFileSync(tsconfig, 'utf8'));
    cpSync(join(corpus, 'node_modules', 'mongodb', 'src'), join(scratch, 'src'), { recursive: true });
    symlinkSync(join(corpus, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: sourceTsconfig.compilerOptions, include: ['src/**/*'] }));
    writeFileSync(join(scratch, 'package.json'), '{"name":"bench-cache","private":true}');
    const cacheFile = join(scratch, '.lingercache');
    // A copy of the build: the cache is keyed by the tool's build, which a rebuild during the
    // benchmark (another terminal, another engineer) would change.
    const tool = join(scratch, '.tool');
    for (const f of ['cli.js', 'replay.js']) cpSync(join(root, 'dist', f), join(tool, 'dist', f));
    cpSync(join(root, 'bin', 'linger.js'), join(tool, 'bin', 'linger.js'));
    cpSync(join(root, 'bin', 'compile-cache.js'), join(tool, 'bin', 'compile-cache.js'));
    cpSync(join(root, 'package.json'), join(tool, 'package.json'));
    const cli = join(tool, 'bin', 'linger.js');
    const auditOnce = (args) => {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, 'audit', '--project', 'tsconfig.json', ...args], { cwd: scratch, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status === null || r.status > 1) throw new Error(`linger audit ${args.join(' ')} failed: ${r.stderr}`);
      const m = /in (\d+) files?.*?, (\d+) from the cache/.exec(r.stdout);
      return { ms, files: m ? Number(m[1]) : undefined, cached: m ? Number(m[2]) : undefined, out: r.stdout };
    };
    // The helper: the file the most others import (from the cache's own dependency lists), and one in the middle.
    auditOnce(['--cache']);
    const entries = JSON.parse(readFileSync(cacheFile, 'utf8')).files;
    const importers = new Map();
    for (const e of Object.values(entries)) for (const dep of Object.keys(e.deps)) importers.set(dep, (importers.get(dep) ?? 0) + 1);
    const ranked = [...importers].filter(([f]) => f.startsWith(join(scratch, 'src'))).sort((a, b) => b[1] - a[1]);
    const helpers = [ranked[0], ranked[Math.floor(ranked.length / 2)]];
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const full = [];
    const warm = [];
    const changed = helpers.map(() => ({ times: [], reanalysed: [] }));
    for (let i = 0; i < runs; i++) {
      rmSync(cacheFile, { force: true });
      full.push(auditOnce([]).ms);
      auditOnce(['--cache']); // fills the cache
      const w = auditOnce(['--cache']);
      warm.push(w.ms);
      if (w.cached !== w.files) throw new Error(`unchanged re-run analysed ${w.files - w.cached} files again`);
      helpers.forEach(([file], k) => {
        appendFileSync(file, `\n// bench edit ${i}\n`);
        const c = auditOnce(['--cache']);
        changed[k].times.push(c.ms);
        changed[k].reanalysed.push(c.files - c.cached);
      });
    }
    const rel = (f) => f.slice(scratch.length + 1);
    console.log(`\n--cache on the same sources (${runs} interleaved runs, medians):`);
    console.log(`full audit, no cache:        ${median(full).toFixed(0)} ms (runs: ${full.map((v) => v.toFixed(0)).join(', ')})`);
    const ratio = median(warm) / median(full);
    console.log(`unchanged re-run, --cache:   ${median(warm).toFixed(0)} ms (runs: ${warm.map((v) => v.toFixed(0)).join(', ')}) — ratio ${ratio.toFixed(3)} (target < 0.10) ${ratio < 0.1 ? 'OK' : 'OVER TARGET'}`);
    helpers.forEach(([file, n], k) => {
      console.log(`changed helper ${rel(file)} (imported by ${n} files, directly or not): ${median(changed[k].times).toFixed(0)} ms, ${median(changed[k].reanalysed)} files analysed again (runs: ${changed[k].times.map((v) => v.toFixed(0)).join(', ')})`);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
