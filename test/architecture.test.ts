// The developers' guide's structural rules, checked: no import cycles in the server or the client,
// the core (server/src/core) knows no rule: the registry and the rules are the caller's to pass, and
// no source file of the project is over 500 lines.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importCycles, importGraph, importPaths } from './helpers/import-graph';

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'server/src');
const CLIENT = path.join(ROOT, 'client/src');
const relative = (chain: string[]) => chain.map((f) => path.relative(ROOT, f)).join(' → ');

describe('architecture', () => {
  const graph = importGraph([SERVER, CLIENT]);

  it('reads the whole import graph', () => {
    // Guards against a silently empty graph (a moved folder) passing every check below.
    const core = [...graph.keys()].filter((f) => f.startsWith(path.join(SERVER, 'core') + path.sep));
    assert.ok(core.length > 10, `only ${core.length} core files found`);
    assert.ok(graph.get(path.join(SERVER, 'analyzer.ts'))?.includes(path.join(SERVER, 'rules/index.ts')), 'analyzer.ts → rules/index.ts not seen');
  });

  it('has no import cycle in server/src or client/src (type-only imports included)', () => {
    const found = importCycles(graph).map(({ files, cycle }) => `${relative(cycle)} (all of ${files.length} files: ${relative(files).replace(/ → /g, ', ')})`);
    assert.deepEqual(found, []);
  });

  it('server/src/core imports nothing from server/src/rules, directly or through other files', () => {
    assert.deepEqual(importPaths(graph, path.join(SERVER, 'core'), path.join(SERVER, 'rules')).map(relative), []);
  });

  it('has no source file over 500 lines (server, client, scripts, tests)', () => {
    const tooLong: string[] = [];
    const visit = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          // Fixtures and the labelled projects are inputs written to test the analysis, not the project's code.
          if (!['node_modules', 'fixtures', 'projects'].includes(e.name)) visit(p);
        } else if (/\.(ts|mts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
          const lines = fs.readFileSync(p, 'utf8').split('\n').length - 1;
          if (lines > 500) tooLong.push(`${path.relative(ROOT, p)}: ${lines} lines`);
        }
      }
    };
    for (const dir of ['server/src', 'client/src', 'scripts', 'test', 'bench']) visit(path.join(ROOT, dir));
    assert.deepEqual(tooLong, []);
  });

  it('the checks see a cycle and a core → rules import when there is one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-arch-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      write('core/a.ts', "import type { B } from './b';\nexport type A = B[];\n");
      write('core/b.ts', "export type B = import('./c').C;\n");
      write('core/c.ts', "import { A } from './a';\nexport { x } from '../rules';\nexport type C = A | 1;\n");
      write('rules/index.ts', 'export const x = 1;\n');
      const fixture = importGraph([dir]);
      assert.deepEqual(importCycles(fixture).map(({ cycle }) => cycle.map((f) => path.relative(dir, f))), [['core/a.ts', 'core/b.ts', 'core/c.ts', 'core/a.ts']]);
      assert.equal(importPaths(fixture, path.join(dir, 'core'), path.join(dir, 'rules')).length, 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
