// Regression tests for "installing dependencies loses findings": each way it showed up, audited as a
// project with node_modules (typings of @types/node, express, undici…) and as the same files alone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFiles } from '../../server/src/core/analyze';
import { createAnalyzer } from '../../server/src/analyzer';
import { typedEnvironmentRoot } from '../helpers/environments';

/** Write `files` into a fresh folder (under `root` when given), audit them, return `file:line rule` per finding. */
function audit(files: Record<string, string>, root?: string): string[] {
  const dir = root ? fs.mkdtempSync(path.join(root, 'regress-')) : fs.mkdtempSync(path.join(os.tmpdir(), 'linger-untyped-'));
  if (!root) fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"untyped","private":true}');
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const list = Object.keys(files).filter((f) => /\.[cm]?[jt]sx?$/.test(f)).map((f) => path.join(dir, f));
    const r = analyzeFiles(list, {}, createAnalyzer());
    return r.findings.map((f) => `${path.relative(dir, f.file)}:${f.line} ${f.ruleId}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const LEAKY_FETCH = `export async function get(u: string) {
  const res = await fetch(u);
  if (!res.ok) throw new Error('bad');
  return res.status;
}
`;

describe('the same findings with dependencies installed', function () {
  this.timeout(180_000);
  let typed: string;
  before(() => { typed = typedEnvironmentRoot(); });

  it('global fetch next to a file that imports express (@types/node declares fetch in `declare global`)', () => {
    const files = { 'src/app.ts': "import express from 'express';\nexport const app = express();\n", 'src/get.ts': LEAKY_FETCH };
    const expected = ['src/get.ts:2 unconsumed-response'];
    assert.deepEqual(audit(files), expected);
    assert.deepEqual(audit(files, typed), expected);
  });

  it('globalThis.fetch and the global WebSocket of @types/node', () => {
    const files = {
      'src/app.ts': "import 'express';\n",
      'src/ws.ts': `export function ping(url: string) {
  const ws = new WebSocket(url);
  ws.send('ping');
}
export async function head(u: string) {
  const r = await globalThis.fetch(u);
  return r.status;
}
`,
    };
    const expected = ['src/ws.ts:2 unclosed-connection', 'src/ws.ts:6 unconsumed-response'];
    assert.deepEqual(audit(files), expected);
    assert.deepEqual(audit(files, typed), expected);
  });

  it('lib.dom.d.ts fetch and WebSocket under a tsconfig with lib: ["dom"]', () => {
    const tsconfig = JSON.stringify({ compilerOptions: { lib: ['es2022', 'dom'], strict: true }, include: ['src'] });
    const files = { 'tsconfig.json': tsconfig, 'src/get.ts': LEAKY_FETCH };
    const expected = ['src/get.ts:2 unconsumed-response'];
    assert.deepEqual(audit(files), expected);
    assert.deepEqual(audit(files, typed), expected);
  });

  it('undici and pg with their own typings installed', () => {
    const files = {
      'src/db.ts': `import { Pool } from 'pg';
import { request } from 'undici';
const pool = new Pool();
export async function one() {
  const c = await pool.connect();
  const r = await c.query('select 1');
  return r.rows;
}
export async function status(u: string) {
  const { statusCode } = await request(u);
  return statusCode;
}
`,
    };
    const expected = ['src/db.ts:5 unreleased-pool-connection', 'src/db.ts:10 unconsumed-response'];
    assert.deepEqual(audit(files), expected);
    assert.deepEqual(audit(files, typed), expected);
  });

  it('a pool exported by a CommonJS module of the project, with and without mysql2 typings', () => {
    const files = {
      'lib/db.js': "const mysql = require('mysql2/promise');\nexports.pool = mysql.createPool({ host: 'db' });\n",
      'lib/users.js': `const { pool } = require('./db');
async function byId(id) {
  const conn = await pool.getConnection();
  const [rows] = await conn.query('select * from users where id = ?', [id]);
  return rows[0];
}
module.exports = { byId };
`,
    };
    const expected = ['lib/users.js:3 unreleased-pool-connection'];
    assert.deepEqual(audit(files), expected);
    assert.deepEqual(audit(files, typed), expected);
  });
});
