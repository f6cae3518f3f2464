import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analyzer, analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';

const JS_LEAK = "const net = require('net');\nfunction f() { const s = net.connect(1); s.write('x'); }\nmodule.exports = { f };\n";
const TS_LEAK = "import * as net from 'net';\nexport function f() { const s = net.connect(1); s.write('x'); }\n";

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-proj-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('projects', () => {
  it('analyses a JavaScript file that its tsconfig (no allowJs) does not claim, like tsserver', () => {
    const dir = workspace({ 'tsconfig.json': '{"compilerOptions":{"strict":true},"include":["src"]}', 'src/a.js': JS_LEAK, 'src/b.ts': TS_LEAK });
    const r = analyzeFiles(listSourceFiles([dir]).files);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(r.findings.map((f) => path.basename(f.file)), ['a.js', 'b.ts']);
  });

  it('falls back to an inferred project when tsconfig.json is broken, and says which file and why', () => {
    const dir = workspace({ 'tsconfig.json': '{"compilerOptions": {"strict": true,, }', 'a.ts': TS_LEAK });
    const r = analyzeFiles([path.join(dir, 'a.ts')]);
    assert.equal(r.findings.length, 1);
    assert.equal(r.configErrors.length, 1);
    assert.match(r.configErrors[0], /tsconfig\.json: .*inferred project/);
  });

  it('follows a creator re-exported through a project module', () => {
    const dir = workspace({
      'tsconfig.json': '{"compilerOptions":{"strict":true,"module":"commonjs"}}',
      'db.ts': "export { Pool } from 'pg';\n",
      'repo.ts': "import { Pool } from './db';\nconst pool = new Pool();\nexport async function one() {\n  const c = await pool.connect();\n  const r = await c.query('select 1');\n  c.release();\n  return r;\n}\n",
    });
    const r = new Analyzer().analyzeFile(path.join(dir, 'repo.ts'));
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.line}`), ['unreleased-pool-connection:4']);
  });

  it('analyses the in-memory text of an editor buffer instead of the disk', () => {
    const dir = workspace({ 'a.ts': 'export const x = 1;\n' });
    const analyzer = new Analyzer();
    assert.equal(analyzer.analyzeFile(path.join(dir, 'a.ts')).findings.length, 0);
    assert.equal(analyzer.analyzeFile(path.join(dir, 'a.ts'), TS_LEAK).findings.length, 1);
    analyzer.projects.revert(path.join(dir, 'a.ts'));
    assert.equal(analyzer.analyzeFile(path.join(dir, 'a.ts')).findings.length, 0);
  });

  it('skips huge and minified files with the reason', () => {
    const dir = workspace({ 'big.js': `var a=${'1+'.repeat(600_000)}1;\n`, 'min.js': `${'function a(b){return b+1};'.repeat(2000)}\n` });
    const r = analyzeFiles(listSourceFiles([dir]).files);
    const reasons = Object.fromEntries(r.skipped.map((s) => [path.basename(s.file), s.reason]));
    assert.match(reasons['big.js'], /larger than the 1000000-byte limit/);
    assert.match(reasons['min.js'], /looks minified/);
  });
});
