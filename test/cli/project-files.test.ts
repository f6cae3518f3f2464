// `--project` lists its files without loading the project (so that a run from the cache stays
// cheap); the list must be the one the project host loads (TypeScript's include/exclude/files).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Analyzer } from '../../server/src/core/analyze';
import { filesOfConfig } from '../../server/src/cli/project-files';
import { cleanup, ROOT, workspace } from '../robustness/helpers';

describe('files of a tsconfig, listed without loading it', () => {
  let dir: string;
  after(() => cleanup(dir));

  it('equal the project host\'s: include globs, exclude, files, allowJs, declarations left out', () => {
    dir = workspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { allowJs: true }, include: ['src/**/*', 'lib'], exclude: ['src/skip/**'], files: ['extra/one.ts'] }),
      'src/a.ts': 'export const a = 1;\n', 'src/deep/b.tsx': 'export const b = 1;\n', 'src/c.js': 'exports.c = 1;\n',
      'src/types.d.ts': 'declare const d: number;\n', 'src/skip/s.ts': 'export const s = 1;\n',
      'lib/l.mts': 'export const l = 1;\n', 'extra/one.ts': 'export const one = 1;\n', 'extra/two.ts': 'export const two = 1;\n',
      'src/notes.md': '# not code\n',
    });
    for (const config of [path.join(dir, 'tsconfig.json'), path.join(ROOT, 'examples', 'tsconfig.json')]) {
      const analyzer = new Analyzer({ boundary: { roots: [path.dirname(config)], configsAbove: true } });
      const listed = filesOfConfig(analyzer, config);
      assert.ok('files' in listed);
      const fromHost = new Analyzer({ boundary: { roots: [path.dirname(config)], configsAbove: true } }).projects.filesOfConfig(config);
      assert.deepEqual([...listed.files].sort(), [...fromHost].sort());
    }
    const mine = filesOfConfig(new Analyzer({ boundary: { roots: [dir], configsAbove: true } }), path.join(dir, 'tsconfig.json'));
    assert.deepEqual('files' in mine && mine.files.map((f) => path.relative(dir, f)).sort(), ['extra/one.ts', 'lib/l.mts', 'src/a.ts', 'src/c.js', 'src/deep/b.tsx']);
  });

  it('a config that is not JSON: the reason, naming the file', () => {
    const broken = workspace({ 'tsconfig.json': '{ "include": ["src"' });
    const r = filesOfConfig(new Analyzer({ boundary: { roots: [broken], configsAbove: true } }), path.join(broken, 'tsconfig.json'));
    cleanup(broken);
    assert.ok('error' in r);
    assert.match(r.error, /tsconfig\.json: .*expected/);
  });
});
