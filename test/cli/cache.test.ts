// --cache with ESLint's semantics: results of unchanged files come from .lingercache, a change to a
// file re-analyses it and every file that imports it (directly or not), a change to the settings
// re-analyses what they apply to, and a run without --cache deletes the cache. That a result came
// from the cache is shown by planting a marker in the cache file: it comes back only if the file was
// not analysed again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, linger, workspace } from '../robustness/helpers';
import { cachedProject, CLOSES, KEEPS, MAIN, OTHER } from './cached-project';

// Imports main, which imports helper: a dependency two steps away.
const ENTRY = "import { main } from './main';\nexport function run() {\n  main();\n}\n";

type Cache = { files: Record<string, { outcome: { findings: Array<{ message: string }> } }> };

describe('linger audit --cache', () => {
  let d: string;
  const cacheFile = () => path.join(d, '.lingercache');
  const readCache = (): Cache => JSON.parse(fs.readFileSync(cacheFile(), 'utf8'));
  const audit = (...extra: string[]) => {
    const r = linger(['audit', '--format', 'json', ...extra], d);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return JSON.parse(r.stdout) as { findings: Array<{ file: string; message: string; line: number }>; summary: { durationMs: number } };
  };
  const withoutDuration = (out: { summary: { durationMs: number } }) => JSON.stringify({ ...out, summary: { ...out.summary, durationMs: 0 } });
  /** Put a marker into the cached findings of `file` (relative), which only a cached result can show. */
  const plant = (file: string, marker: string) => {
    const c = readCache();
    const entry = c.files[path.join(d, file)];
    entry.outcome.findings.push({ ...JSON.parse(JSON.stringify(readCache().files[path.join(d, 'src/other.ts')].outcome.findings[0])), file: path.join(d, file), message: marker });
    fs.writeFileSync(cacheFile(), JSON.stringify(c));
  };
  const messages = (out: { findings: Array<{ file: string; message: string }> }, file: string) => out.findings.filter((f) => f.file === file).map((f) => f.message);

  beforeEach(() => {
    d = cachedProject('cached', { 'src/entry.ts': ENTRY });
  });
  afterEach(() => cleanup(d));

  it('gives the same report as a full audit, byte for byte (less durationMs), from the cache', () => {
    const full = audit();
    assert.ok(!fs.existsSync(cacheFile()));
    const first = audit('--cache');
    assert.ok(fs.existsSync(cacheFile()));
    const second = audit('--cache');
    assert.equal(withoutDuration(first), withoutDuration(full));
    assert.equal(withoutDuration(second), withoutDuration(full));
    const cachedText = linger(['audit', '--cache'], d).stdout;
    assert.match(cachedText, /in 4 files, 4 from the cache \(\d+ ms\)\n$/);
    assert.equal(cachedText.replace(/, 4 from the cache \(\d+ ms\)/, ''), linger(['audit'], d).stdout.replace(/ \(\d+ ms\)/, ''));
  });

  it('reuses the results of unchanged files, and re-analyses the files that import a changed helper', () => {
    audit('--cache');
    for (const f of ['src/main.ts', 'src/entry.ts', 'src/helper.ts', 'src/other.ts']) plant(f, `cached ${f}`);
    const reused = audit('--cache');
    for (const f of ['src/main.ts', 'src/entry.ts', 'src/helper.ts', 'src/other.ts']) assert.ok(messages(reused, f).includes(`cached ${f}`), `${f} from the cache`);
    assert.deepEqual(messages(reused, 'src/main.ts'), ['cached src/main.ts'], 'the helper closes the socket: no finding in main');

    // The helper no longer closes its argument: main (imports it) and entry (imports main) are analysed again.
    fs.writeFileSync(path.join(d, 'src', 'helper.ts'), KEEPS);
    const after = audit('--cache');
    assert.deepEqual(messages(after, 'src/main.ts').map((m) => m.startsWith('Socket from `net.connect` is never closed')), [true], 'main re-analysed: its leak shows');
    assert.deepEqual(messages(after, 'src/entry.ts'), [], 'entry re-analysed (two imports away)');
    assert.deepEqual(messages(after, 'src/helper.ts'), []);
    assert.ok(messages(after, 'src/other.ts').includes('cached src/other.ts'), 'other does not import the helper: still from the cache');
    // And the result is the full audit's.
    const full = audit();
    assert.deepEqual(full.findings.map((f) => [f.file, f.line]), [['src/main.ts', 4], ['src/other.ts', 3]]);
  });

  it("re-analyses a TypeScript file whose require('./helper') loads a changed helper (TypeScript lists no import for it)", () => {
    fs.writeFileSync(path.join(d, 'src', 'main.ts'), MAIN.replace("import { finish } from './helper';", "const { finish } = require('./helper');"));
    assert.deepEqual(messages(audit('--cache'), 'src/main.ts'), [], 'the required helper closes the socket');
    plant('src/other.ts', 'cached other');
    fs.writeFileSync(path.join(d, 'src', 'helper.ts'), KEEPS);
    const after = audit('--cache');
    assert.deepEqual(messages(after, 'src/main.ts').map((m) => m.startsWith('Socket from `net.connect` is never closed')), [true], 'main re-analysed: its leak shows');
    assert.ok(messages(after, 'src/other.ts').includes('cached other'), 'other requires nothing: from the cache');
  });

  it('re-analyses a file when a file that imports it changes: its calls there say how often its functions run', () => {
    audit('--cache');
    plant('src/helper.ts', 'cached helper');
    plant('src/other.ts', 'cached other');
    fs.writeFileSync(path.join(d, 'src', 'main.ts'), MAIN.replace("s.write('x');", "s.write('y');"));
    const after = audit('--cache');
    assert.ok(!messages(after, 'src/helper.ts').includes('cached helper'), 'helper re-analysed: main, which imports it, changed');
    assert.ok(messages(after, 'src/other.ts').includes('cached other'), 'other is no importer of main: from the cache');
  });

  it('takes the second run from the cache for sources in the folder of the cache itself (the cache file is no new neighbour)', () => {
    const flat = workspace({
      'package.json': '{"name":"flat","private":true}',
      'tsconfig.json': '{"compilerOptions":{"strict":true},"include":["*.ts"]}',
      'main.ts': MAIN, 'helper.ts': CLOSES, 'other.ts': OTHER,
    }, 'linger-cache-flat-');
    try {
      linger(['audit', '--cache'], flat);
      assert.ok(fs.existsSync(path.join(flat, '.lingercache')));
      assert.match(linger(['audit', '--cache'], flat).stdout, /in 3 files, 3 from the cache \(\d+ ms\)\n$/);
    } finally {
      cleanup(flat);
    }
  });

  it('re-analyses when the settings change: a rule turned off in .lingerrc.json, a tsconfig edit, a new file beside an import', () => {
    audit('--cache');
    plant('src/other.ts', 'cached other');
    fs.writeFileSync(path.join(d, '.lingerrc.json'), '{"rules":{"connection-churn":"off"}}');
    assert.ok(!messages(audit('--cache'), 'src/other.ts').includes('cached other'), 'config changed');
    plant('src/other.ts', 'cached other');
    fs.writeFileSync(path.join(d, 'tsconfig.json'), '{"compilerOptions":{"strict":false},"include":["src"]}');
    assert.ok(!messages(audit('--cache'), 'src/other.ts').includes('cached other'), 'tsconfig changed');
    plant('src/other.ts', 'cached other');
    assert.ok(messages(audit('--cache'), 'src/other.ts').includes('cached other'), 'nothing changed');
    // A new file in the folder may change what an import there resolves to.
    fs.writeFileSync(path.join(d, 'src', 'helper.js'), 'exports.finish = () => {};\n');
    assert.ok(!messages(audit('--cache'), 'src/other.ts').includes('cached other'), 'a file was added beside it');
    plant('src/other.ts', 'cached other');
    assert.ok(!messages(audit('--cache', '--rule', 'unclosed-connection=error'), 'src/other.ts').includes('cached other'), '--rule changed');
  });

  it('a run without --cache deletes the cache; a broken cache file is replaced; --cache-location takes a file or a folder', () => {
    audit('--cache');
    audit();
    assert.ok(!fs.existsSync(cacheFile()), 'deleted, as ESLint does');
    fs.writeFileSync(cacheFile(), '{ not json');
    const out = audit('--cache');
    assert.equal(out.findings.length, 1);
    assert.equal(Object.keys(readCache().files).length, 4);
    audit('--cache', '--cache-location', 'tmp/linger/');
    const inFolder = fs.readdirSync(path.join(d, 'tmp', 'linger'));
    assert.equal(inFolder.length, 1);
    assert.match(inFolder[0], /^\.lingercache_[0-9a-f]{12}$/);
    audit('--cache', '--cache-location', 'custom.cache');
    assert.ok(fs.existsSync(path.join(d, 'custom.cache')));
    // A file that is not a cache is never deleted.
    fs.writeFileSync(path.join(d, 'notes.txt'), 'mine');
    audit('--cache-location', 'notes.txt');
    assert.equal(fs.readFileSync(path.join(d, 'notes.txt'), 'utf8'), 'mine');
  });
});
