// The same input gives the same JSON report (less durationMs) on a quiet and on a loaded machine:
// the CLI has no per-file time budget unless asked, so no file is skipped or cut short because the
// machine is busy. The load is real: busy child processes, twice as many as there are cores, for
// the whole loaded audit.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as os from 'node:os';
import { cleanup, CLI, workspace } from '../robustness/helpers';

/** A project of its own tsconfig (with one file per pattern kind, importing shared helpers) and an inferred JavaScript folder. */
function fixture(): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': '{"name":"loaded","private":true}',
    'tsconfig.json': '{"compilerOptions":{"strict":true,"target":"es2022","module":"commonjs"},"include":["src"]}',
    'src/helpers.ts': "import * as net from 'net';\nexport function finish(s: net.Socket) {\n  s.destroy();\n}\nexport function peek(s: net.Socket) {\n  return s.remotePort;\n}\n",
  };
  for (let i = 0; i < 30; i++) {
    const kind = i % 5;
    files[`src/m${String(i).padStart(2, '0')}.ts`] = [
      "import * as net from 'net';",
      "import { Pool } from 'pg';",
      "import { finish, peek } from './helpers';",
      'const pool = new Pool();',
      `export async function f${i}(port: number, flag: boolean) {`,
      kind === 0 ? `  const s = net.connect(port);\n  if (flag) return;\n  s.end();` : '',
      kind === 1 ? `  const s = net.connect(port);\n  peek(s);` : '',
      kind === 2 ? `  const s = net.connect(port);\n  finish(s);` : '',
      kind === 3 ? "  const c = await pool.connect();\n  await c.query('SELECT 1');\n  c.release();" : '',
      kind === 4 ? "  const res = await fetch('http://localhost:' + port);\n  if (!res.ok) throw new Error('bad');\n  return res.json();" : '',
      '}',
      '',
    ].filter((l) => l !== '').join('\n');
  }
  for (let i = 0; i < 10; i++) {
    files[`scripts/s${i}.js`] = `const http = require('http');\nexports.get${i} = (url, cb) => http.get(url, (res) => {\n  if (res.statusCode !== 200) return cb(new Error('status'));\n  res.resume();\n  cb(null);\n});\n`;
  }
  return files;
}

function audit(cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'audit', '--format', 'json'], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const withoutDuration = (json: string) => {
  const out = JSON.parse(json);
  delete out.summary.durationMs;
  return JSON.stringify(out, null, 2);
};

describe('linger audit under CPU load (deterministic by default)', function () {
  this.timeout(300_000);
  let dir: string;
  const spinners: ChildProcess[] = [];
  before(() => { dir = workspace(fixture(), 'linger-load-'); });
  after(() => {
    for (const s of spinners) if (s.exitCode === null) s.kill('SIGKILL');
    cleanup(dir);
  });

  it('prints byte-identical JSON (less durationMs) with and without busy processes on every core', async () => {
    const quiet = await audit(dir);
    assert.equal(quiet.code, 1, quiet.stderr);
    const report = JSON.parse(quiet.stdout);
    assert.equal(report.summary.files, 41);
    assert.deepEqual(report.summary.skipped, []);
    assert.ok(report.findings.length >= 20, `${report.findings.length} findings`);

    for (let i = 0; i < Math.max(2, os.cpus().length) * 2; i++) {
      spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    const loaded = await audit(dir);
    for (const s of spinners) s.kill('SIGKILL');
    assert.equal(loaded.code, quiet.code, loaded.stderr);
    assert.equal(withoutDuration(loaded.stdout), withoutDuration(quiet.stdout));
  });
});
