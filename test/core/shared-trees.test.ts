// An audit's projects share their syntax trees (core/parsing.ts): in a monorepo whose packages
// import each other's sources, a file that several tsconfigs' programs hold is parsed once, and the
// audit says exactly what it says with a tree per project, also after a file is re-analysed with
// new text (what --fix does), which must not move the nodes another project holds.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cleanup, workspace } from '../robustness/helpers';
import { Analyzer, analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';
import { createAnalyzer } from '../../server/src/analyzer';

const CORE_POOL = `import * as net from 'net';
export function release(s: net.Socket): void {
  s.destroy();
}
export function leaky(port: number): void {
  const s = net.connect(port);
  s.write('ping');
}
export const after = 'the last statement';
`;
const APP = `import * as net from 'net';
import { release } from '../../core/src/pool';
export function ok(port: number): void {
  const s = net.connect(port);
  release(s);
}
export function leak(port: number): void {
  const s = net.connect(port);
  s.write('x');
}
`;
const WEB = `import * as net from 'net';
import { release } from '../../core/src/pool';
export function handler(port: number): void {
  const s = net.connect(port);
  s.on('data', () => release(s));
}
`;
const TSCONFIG = '{"compilerOptions":{"strict":true,"module":"commonjs"},"include":["src"]}';

function monorepo(): string {
  return workspace({
    'package.json': '{"name":"mono","private":true}',
    'packages/core/tsconfig.json': TSCONFIG, 'packages/core/src/pool.ts': CORE_POOL,
    'packages/app/tsconfig.json': TSCONFIG, 'packages/app/src/main.ts': APP,
    'packages/web/tsconfig.json': TSCONFIG, 'packages/web/src/handler.ts': WEB,
  }, 'linger-shared-trees-');
}

const analyzerFor = (dir: string, share: boolean) => createAnalyzer({ shareSyntaxTrees: share, boundary: { roots: [dir], configsAbove: false } });

function audit(dir: string, analyzer: Analyzer): string {
  const r = analyzeFiles(listSourceFiles([dir], analyzer).files, {}, analyzer);
  return JSON.stringify({ findings: r.findings, listeners: r.listeners, skipped: r.skipped, files: r.files });
}

/** The tree of `file` in the program of each project that holds it. */
function treesOf(analyzer: Analyzer, file: string, owners: string[]) {
  return owners.map((owner) => {
    const owned = analyzer.projects.projectFor(owner);
    return analyzer.projects.program(owned).getSourceFile(file);
  });
}

describe('an audit parses a file shared by several projects once', () => {
  let dir: string;
  beforeEach(() => {
    dir = monorepo();
  });
  afterEach(() => cleanup(dir));

  it('one tree for the three programs that hold packages/core/src/pool.ts, and the same audit as with a tree per project', () => {
    const shared = analyzerFor(dir, true);
    const separate = analyzerFor(dir, false);
    const sharedAudit = audit(dir, shared);
    assert.equal(sharedAudit, audit(dir, separate));
    assert.ok(JSON.parse(sharedAudit).findings.length >= 2, 'the fixture leaks in two packages');
    const pool = path.join(dir, 'packages/core/src/pool.ts');
    const owners = [pool, path.join(dir, 'packages/app/src/main.ts'), path.join(dir, 'packages/web/src/handler.ts')];
    const [a, b, c] = treesOf(shared, pool, owners);
    assert.ok(a && a === b && b === c, 'one tree');
    const [x, y] = treesOf(separate, pool, owners);
    assert.ok(x && y && x !== y, 'a tree per project without sharing');
  });

  it('re-analysing a shared file with new text (--fix) leaves the trees other projects hold as they were', () => {
    const pool = path.join(dir, 'packages/core/src/pool.ts');
    const app = path.join(dir, 'packages/app/src/main.ts');
    const fixed = CORE_POOL.replace("  s.write('ping');\n", "  s.write('ping');\n  s.destroy();\n");
    const run = (share: boolean) => {
      const analyzer = analyzerFor(dir, share);
      const before = audit(dir, analyzer);
      const again = analyzer.analyzeFile(pool, fixed);
      const other = analyzer.analyzeFile(app);
      const [appTree] = treesOf(analyzer, pool, [app]);
      return { before, again: JSON.stringify(again.findings), other: JSON.stringify(other.findings), appText: appTree!.text, statements: appTree!.statements.map((st) => st.getText(appTree)) };
    };
    const shared = run(true);
    assert.deepEqual(shared, run(false));
    assert.equal(JSON.parse(shared.again).length, 0, 'the fixed text has no leak');
    assert.equal(shared.appText, CORE_POOL, 'the app project still holds the text on disk');
    assert.equal(shared.statements[shared.statements.length - 1], "export const after = 'the last statement';", 'and its nodes where they were');
  });
});
