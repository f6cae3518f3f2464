// Loads a bundle of dist/ with V8's code cache, so that a command does not compile the ~8 MB bundle
// (TypeScript included) again on every start: `linger --version` goes from about 0.5 s of CPU to
// 0.2 s, and every audit starts that much sooner. Node 22.1+ does this itself
// (module.enableCompileCache); on older Node the bundle is compiled with vm.Script and its code
// cache is written at exit, when the functions the command ran have been compiled too (and again
// when a later run compiled much more than the cache held: the first run may have been a small one).
//
// The cache lives in node_modules/.cache/linger-tcp of the project that installed Linger (or of this
// checkout, or of the installed VS Code extension), written atomically; a cache V8 rejects (another
// Node, other flags) is rewritten, and a cache that cannot be read or written is simply not used.
// The language server loads its bundle through this too (server/src/lsp/load.ts bundles this file):
// a server is stopped rather than left to exit, so it asks for the cache to be written once its
// first analysis is done (`savedWhenAsked`: see askToSave) instead of at exit.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const vm = require('vm');
const v8 = require('v8');
const crypto = require('crypto');

/** node_modules/.cache/linger-tcp above this package (an installed package sits in node_modules). */
function cacheDir() {
  const pkg = path.resolve(__dirname, '..');
  for (let d = pkg; path.dirname(d) !== d; d = path.dirname(d)) {
    if (path.basename(d) === 'node_modules') return path.join(d, '.cache', 'linger-tcp');
  }
  return path.join(pkg, 'node_modules', '.cache', 'linger-tcp');
}

/** Where a bundle loaded with `savedWhenAsked` finds the function that writes its code cache. */
const SAVE = Symbol.for('linger.saveCodeCache');

/** Writes the code cache of the bundle loaded with `savedWhenAsked` (once; nothing when there is none to write). */
function askToSave() {
  const save = globalThis[SAVE];
  if (typeof save === 'function') save();
}

/**
 * Runs `file` (a CommonJS bundle) as the main module would be, from the code cache when there is one.
 * `profile` names the kind of run: an audit compiles far more of the bundle than `--version`, so each
 * kind keeps a cache of its own. With `savedWhenAsked`, the cache is written when the bundle calls
 * askToSave() (by then it has compiled what its start needs), not at exit.
 */
function load(file, profile = 'run', { savedWhenAsked = false } = {}) {
  if (typeof Module.enableCompileCache === 'function') {
    try {
      Module.enableCompileCache(cacheDir());
      if (savedWhenAsked && typeof Module.flushCompileCache === 'function') globalThis[SAVE] = once(() => Module.flushCompileCache());
    } catch {
      /* no cache: compile as usual */
    }
    require(file);
    return;
  }
  // Keyed by the bundle's content (V8 itself only checks the source's length, and npm gives every
  // installed file the same mtime), the Node and V8 that compiled it and the flags it ran with.
  const bytes = fs.readFileSync(file);
  const key = crypto.createHash('sha1')
    .update(bytes)
    .update(`\0${process.version}:${process.versions.v8}:${process.arch}:${process.execArgv.join(' ')}:${process.env.NODE_OPTIONS || ''}`)
    .digest('hex').slice(0, 16);
  const source = bytes.toString('utf8');
  const dir = cacheDir();
  const stem = `${path.basename(file, '.js')}-${profile}-`;
  const cacheFile = path.join(dir, `${stem}${key}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    /* first run of this build */
  }
  const bytecode = () => v8.getHeapCodeStatistics().bytecode_and_metadata_size;
  const before = bytecode();
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const loaded = bytecode(); // with a cache: what it held
  const write = () => {
    try {
      fs.mkdirSync(dir, { recursive: true });
      // Caches of other builds of this bundle: the two most recent stay (checkouts that share a
      // node_modules, an A/B comparison), older ones go.
      const others = fs.readdirSync(dir)
        .filter((f) => f.startsWith(stem) && f.endsWith('.bin') && path.join(dir, f) !== cacheFile)
        .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of others.slice(2)) fs.rmSync(path.join(dir, f), { force: true });
      // Temporary files of writers that were stopped before they renamed theirs (a language server is killed, not ended).
      for (const f of fs.readdirSync(dir)) {
        const pid = f.startsWith(stem) && /\.bin\.(\d+)\.tmp$/.exec(f)?.[1];
        if (pid && Number(pid) !== process.pid && !alive(Number(pid))) fs.rmSync(path.join(dir, f), { force: true });
      }
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      /* a read-only install: no cache */
    }
  };
  // A cache made by a small run (one file, no finding) lacks much of what a large audit compiles:
  // it is written again when this run compiled 15% more than it held (a run like the one that wrote
  // it compiles about 5% more: what runs after the cache is made).
  const fresh = !cachedData || script.cachedDataRejected;
  const writeIfUseful = () => {
    if (fresh || bytecode() - before > 1.15 * (loaded - before)) write();
  };
  if (savedWhenAsked) globalThis[SAVE] = once(writeIfUseful);
  else process.once('exit', writeIfUseful);
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  mod.loaded = true;
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function once(f) {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}

module.exports = { load, cacheDir, askToSave };
