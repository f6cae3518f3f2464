// Bundles the CLI, the language server and the VS Code client with esbuild into dist/.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entries = [
  { in: 'server/src/cli/bin.ts', out: 'cli' },
  // `linger audit --cache` when nothing changed (server/src/cli/replay.ts): must not hold TypeScript.
  { in: 'server/src/cli/replay-bin.ts', out: 'replay', without: /[\\/]node_modules[\\/](typescript|ts-morph|@ts-morph)[\\/]|ts-morph-direct/ },
  // The language server: dist/server.js loads dist/server-bundle.js with V8's code cache (load.ts).
  { in: 'server/src/lsp/load.ts', out: 'server', without: /[\\/]node_modules[\\/]|ts-morph-direct/ },
  { in: 'server/src/lsp/main.ts', out: 'server-bundle' },
  // Loaded into traced processes by `linger trace` (NODE_OPTIONS=--require); no dependencies.
  // keepNames off: it would rename every closure the preload makes per request.
  { in: 'server/src/trace/preload/index.ts', out: 'trace-preload', keepNames: false },
  // `linger trace` alone, without the analyzer (starts at once; the VS Code trace command runs it).
  { in: 'server/src/trace/bin.ts', out: 'trace' },
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
].filter((e) => existsSync(e.in));

// `ts-morph` as the sources import it resolves to server/src/ts-morph-direct.ts (ts-morph with its
// `ts` namespace as plain properties: no getter calls on the analysis's hot paths); that file
// imports the real one.
const direct = fileURLToPath(new URL('../server/src/ts-morph-direct.ts', import.meta.url));
const tsMorphDirect = {
  name: 'ts-morph-direct',
  setup(b) {
    b.onResolve({ filter: /^ts-morph$/ }, (args) => (args.importer === direct ? undefined : { path: direct }));
  },
};

// What identifies this build in the results cache (server/src/cache/cache.ts), the same in every
// bundle: the CLI and the language server share one cache, and only the same sources on the same
// dependencies give the same results. Rebuilding unchanged sources keeps the cache.
function buildId() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha1');
  const add = (file) => hash.update(`${file.slice(root.length)}\0`).update(readFileSync(file)).update('\0');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) add(p);
    }
  };
  walk(join(root, 'server', 'src'));
  for (const f of ['package.json', 'package-lock.json']) if (existsSync(join(root, f))) add(join(root, f));
  return hash.digest('hex').slice(0, 16);
}
const define = { LINGER_BUILD_ID: JSON.stringify(buildId()) };

const watch = process.argv.includes('--watch');
const results = await Promise.all(entries.map((e) => build({
  entryPoints: { [e.out]: e.in },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // `--no-minify`: readable function names in a `--cpu-prof` profile.
  minify: !process.argv.includes('--no-minify'),
  keepNames: e.keepNames ?? true,
  define,
  external: e.external ?? [],
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow: use its ES modules.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
  // ts-morph's bundled TypeScript probes for optional modules it never needs here.
  logOverride: { 'require-resolve-not-external': 'silent', 'empty-import-meta': 'silent' },
  plugins: [tsMorphDirect],
  metafile: !!e.without,
})));
entries.forEach((e, i) => {
  const bad = e.without && Object.keys(results[i].metafile.inputs).find((f) => e.without.test(f));
  if (bad) throw new Error(`dist/${e.out}.js must not include ${bad}: it would load TypeScript`);
});
if (!watch) console.error(`built ${entries.map((e) => `dist/${e.out}.js`).join(', ')}`);
