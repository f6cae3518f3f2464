// The editor's edits are parsed incrementally (ProjectHost: TypeScript's updateSourceFile over the
// changed span, reusing the nodes the edit did not touch). The results must be exactly those of a
// full parse of the same text: here one analyzer takes a long series of edits incrementally and
// another parses every version whole, and every result (findings, fixes, listeners, directives,
// skipped) is compared. Edits are drawn from a seeded generator, plus the ones that matter most:
// an edit outside a function that changes what is known about it (how often it runs).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cleanup, workspace } from '../robustness/helpers';
import { createAnalyzer } from '../../server/src/analyzer';
import { Analyzer, FileAnalysis } from '../../server/src/core/analyze';
import { changeRange } from '../../server/src/core/projects';
import { mulberry32 } from '../../scripts/fuzz/rng.mjs';

const APP = `import * as http from 'http';
import * as net from 'net';
import * as dgram from 'dgram';
import { Pool } from 'pg';
import { closeQuietly } from './helpers';

const pool = new Pool();
const url = 'http://localhost:8080/health';

function probe() {
  http.get(url, { agent: false }, (res) => res.resume());
}
setInterval(probe, 30000);

export function handler(port: number) {
  const s = net.connect(port);
  s.write('PING');
  if (port === 0) return;
  closeQuietly(s);
}

export async function find(id: string) {
  const client = await pool.connect();
  const r = await client.query('SELECT $1', [id]);
  client.release();
  return r;
}

export async function check(): Promise<boolean> {
  const res = await fetch(url);
  if (!res.ok) return false;
  await res.text();
  return true;
}

export class Peer {
  private socket?: net.Socket;
  open(port: number) {
    this.socket = net.connect(port);
    this.socket.setTimeout(1000);
    this.socket.on('timeout', () => console.log('slow'));
  }
}

export function listen() {
  const udp = dgram.createSocket('udp4');
  udp.bind(5353);
  return udp;
}
`;

const HELPERS = "import type { Socket } from 'net';\nexport function closeQuietly(s: Socket): void {\n  s.destroy();\n}\n";

const SNIPPETS = ['probe();\n', '  return;\n', '// a comment\n', '  s.end();\n', '}\n', '{\n', 'function extra() { probe(); }\n', 'const x = 1;\n',
  'setInterval(probe, 10);\n', '  await res.body?.cancel();\n', '  client.release();\n', "  udp.bind(0);\n", 'export async function more() { const r = await fetch(url); return r.status; }\n'];

/** The fuzzer's seeded generator (mulberry32): the same edits on every run and machine. */
const random = mulberry32;

function edit(text: string, rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)].filter((i) => i <= text.length);
  const op = rnd();
  if (op < 0.25) {
    const numbers = [...text.matchAll(/\b\d+\b/g)];
    if (numbers.length) {
      const m = pick(numbers);
      return text.slice(0, m.index) + pick(['0', '10', '1000', '30000', '5353']) + text.slice(m.index! + m[0].length);
    }
  }
  if (op < 0.55) {
    const at = pick(lineStarts);
    return text.slice(0, at) + pick(SNIPPETS) + text.slice(at);
  }
  if (op < 0.7) {
    const i = Math.floor(rnd() * (lineStarts.length - 1));
    return text.slice(0, lineStarts[i]) + text.slice(lineStarts[i + 1]);
  }
  const at = Math.floor(rnd() * text.length);
  if (op < 0.85) return text.slice(0, at) + pick([' ', ';', '(', ')', '.', 'x', '"', '\n']) + text.slice(at);
  return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 20));
}

/** A result without what may differ between two runs of the same analysis (its duration). */
const comparable = (r: FileAnalysis) => JSON.stringify({ ...r, durationMs: 0 });

describe('incremental parsing of edits gives the results of a full parse', function () {
  this.timeout(300_000);
  let dir: string;
  let file: string;
  const analyzers = () => {
    const boundary = { roots: [dir], configsAbove: false };
    // Both as the editor runs them: connect() sites too, and a time budget that a loaded machine never reaches.
    return [createAnalyzer({ boundary, connections: true, timeBudgetMs: 600_000 }), createAnalyzer({ boundary, connections: true, timeBudgetMs: 600_000 })];
  };
  /** The incremental analyzer takes `text` as an edit; the other parses it whole first. */
  const both = (incremental: Analyzer, whole: Analyzer, text: string) => {
    const a = incremental.analyzeFile(file, text);
    whole.projects.setText(file, text); // a full parse (createSourceFile)
    const b = whole.analyzeFile(file, text);
    return [a, b];
  };

  before(() => {
    dir = workspace({
      'package.json': '{"name":"inc","private":true}',
      'tsconfig.json': '{"compilerOptions":{"strict":true,"module":"commonjs","target":"es2022"},"include":["src"]}',
      'src/app.ts': APP,
      'src/helpers.ts': HELPERS,
    }, 'linger-incremental-');
    file = path.join(dir, 'src', 'app.ts');
  });
  after(() => cleanup(dir));

  it('the change range is what lies between the common prefix and suffix', () => {
    const r = changeRange('abcXYdef', 'abcZdef');
    assert.deepEqual([r.span.start, r.span.length, r.newLength], [3, 2, 1]);
    const same = changeRange('aaaa', 'aaaaa');
    assert.deepEqual([same.span.start, same.span.length, same.newLength], [4, 0, 1]);
  });

  it('a call added elsewhere in the file: a function that ran only from a timer no longer does', () => {
    const [incremental, whole] = analyzers();
    const churn = (r: FileAnalysis) => r.findings.filter((f) => f.ruleId === 'connection-churn').map((f) => f.line);
    const [a0, b0] = both(incremental, whole, APP);
    assert.equal(comparable(a0), comparable(b0));
    // Called from the exported handler too: every request now makes a connection.
    const hot = APP.replace("  s.write('PING');\n", "  s.write('PING');\n  probe();\n");
    const [a1, b1] = both(incremental, whole, hot);
    assert.deepEqual(churn(a1), churn(b1));
    assert.notDeepEqual(churn(b1), churn(b0), 'the edit changes the result of a full parse');
    assert.equal(comparable(a1), comparable(b1));
    // And the timer's delay changed, outside the function.
    const [a2, b2] = both(incremental, whole, APP.replace('setInterval(probe, 30000)', 'setInterval(probe, 10)'));
    assert.equal(comparable(a2), comparable(b2));
  });

  for (const seed of [20261130, 7]) it(`600 seeded random edits (characters, lines, snippets, numbers), each compared with a full parse (seed ${seed})`, () => {
    const [incremental, whole] = analyzers();
    const rnd = random(seed);
    let text = APP;
    let findings = 0;
    let unparsable = 0;
    for (let step = 0; step < 600; step++) {
      text = rnd() < 0.08 ? APP : edit(text, rnd);
      const [a, b] = both(incremental, whole, text);
      assert.equal(comparable(a), comparable(b), `step ${step}: the incremental result differs from a full parse\n--- text:\n${text}`);
      findings += a.findings.length;
      if (a.skipped) unparsable++;
    }
    // The edits exercised both analysed and unparsable versions.
    assert.ok(findings > 600, `${findings} findings in all`);
    assert.ok(unparsable > 10 && unparsable < 590, `${unparsable} versions did not parse`);
  });
});
