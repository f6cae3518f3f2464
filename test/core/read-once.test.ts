// Each source file is read from disk once per audit: the program reads it, and the analysis of the
// file (and the cache, and SARIF's fingerprints) gets the same text from the file-system layer while
// the file is unchanged. A file that changes in between is read again, so results never come from a
// stale text.
import * as assert from 'node:assert/strict';
import fs = require('fs'); // the module object itself, whose openSync files.ts calls
import * as path from 'node:path';
import { cleanup, workspace } from '../robustness/helpers';
import { analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';
import { createAnalyzer } from '../../server/src/analyzer';

const LEAK = "import * as net from 'net';\nimport { close } from './util';\nexport function f() {\n  const s = net.connect(1);\n  s.write('x');\n}\nexport function g() {\n  const s = net.connect(2);\n  close(s);\n}\n";
const UTIL = "import type { Socket } from 'net';\nexport function close(s: Socket) {\n  s.destroy();\n}\n";
const JS = "const net = require('net');\nexports.h = () => { const s = net.connect(3); s.write('x'); };\n";

/** How many times each path was opened while `run` ran (fs.openSync, which every read of files.ts uses). */
function opensDuring(run: () => void): Map<string, number> {
  const f = fs as unknown as { openSync: (...args: unknown[]) => number };
  const saved = f.openSync;
  const opens = new Map<string, number>();
  f.openSync = function (this: unknown, p: unknown, ...rest: unknown[]) {
    if (typeof p === 'string') opens.set(path.resolve(p), (opens.get(path.resolve(p)) ?? 0) + 1);
    return saved.call(this, p, ...rest);
  };
  try {
    run();
  } finally {
    f.openSync = saved;
  }
  return opens;
}

describe('each source file is read once', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(cleanup));

  it('in a tsconfig project and an inferred one: one open per source file, the same findings', () => {
    const dir = workspace({
      'package.json': '{"name":"r","private":true}',
      'ts/tsconfig.json': '{"compilerOptions":{"strict":true},"include":["src"]}',
      'ts/src/a.ts': LEAK,
      'ts/src/util.ts': UTIL,
      'js/b.js': JS,
    }, 'linger-read-once-');
    dirs.push(dir);
    const sources = ['ts/src/a.ts', 'ts/src/util.ts', 'js/b.js'].map((f) => path.join(dir, f));
    let findings: string[] = [];
    const opens = opensDuring(() => {
      const analyzer = createAnalyzer({ boundary: { roots: [dir], configsAbove: false } });
      const r = analyzeFiles(listSourceFiles([dir], analyzer).files, {}, analyzer);
      findings = r.findings.map((f) => `${path.relative(dir, f.file)}:${f.line}`);
    });
    assert.deepEqual(findings, ['js/b.js:2', 'ts/src/a.ts:4']);
    for (const f of sources) assert.equal(opens.get(f), 1, `${f} opened ${opens.get(f) ?? 0} times`);
  });

  it('a file changed after the program read it is read again, and analysed as it is now', () => {
    const dir = workspace({ 'package.json': '{"name":"r","private":true}', 'tsconfig.json': '{"include":["src"]}', 'src/a.ts': LEAK, 'src/util.ts': UTIL }, 'linger-read-once-');
    dirs.push(dir);
    const file = path.join(dir, 'src', 'a.ts');
    const analyzer = createAnalyzer({ boundary: { roots: [dir], configsAbove: false } });
    analyzer.projects.projectFor(file); // the program reads a.ts
    // Same size, other text: the leak moves from f to g.
    fs.writeFileSync(file, LEAK.replace("s.write('x');", 'close(s);//xx').replace('  close(s);\n}\n', '  void s;  \n}\n'));
    assert.equal(fs.statSync(file).size, Buffer.byteLength(LEAK));
    const opens = opensDuring(() => {
      const r = analyzer.analyzeFile(file);
      assert.deepEqual(r.findings.map((f) => f.line), [8]);
    });
    assert.equal(opens.get(file), 1);
  });
});
