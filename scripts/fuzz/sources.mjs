// Where the fuzzer and the fix-safety check get their inputs: the repository's fixtures and
// examples, code snippets of the rule test tables, and (when available) the shared corpus.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from 'ts-morph';

export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function walk(dir, out, { skipNodeModules = true } = {}) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if ((skipNodeModules && e.name === 'node_modules') || e.name.startsWith('.')) continue;
      walk(p, out);
    } else if (e.isFile() && SOURCE_EXTENSIONS.includes(path.extname(e.name)) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Source files of test/fixtures/** and examples/**, sorted. */
export function fixtureFiles() {
  return [...walk(path.join(ROOT, 'test', 'fixtures'), []), ...walk(path.join(ROOT, 'examples'), [])];
}

function dedent(s) {
  const lines = s.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/**
 * The `code:` strings of test/rules/*.test.ts, written as files into `dir` (a folder with a
 * package.json, like the rule tester's), each made a module like the rule tester does.
 * Returns the file paths.
 */
export function writeRuleSnippets(dir) {
  const testDir = path.join(ROOT, 'test', 'rules');
  let tests = [];
  try {
    tests = fs.readdirSync(testDir).filter((f) => f.endsWith('.test.ts')).sort();
  } catch {
    return [];
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"rule-snippets","private":true}\n');
  const files = [];
  for (const t of tests) {
    const text = fs.readFileSync(path.join(testDir, t), 'utf8');
    const sf = ts.createSourceFile(t, text, ts.ScriptTarget.Latest, true);
    let n = 0;
    const visit = (node) => {
      if (ts.isObjectLiteralExpression(node)) {
        let code;
        let ext = '.ts';
        for (const p of node.properties) {
          if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) continue;
          const init = p.initializer;
          const str = ts.isNoSubstitutionTemplateLiteral(init) || ts.isStringLiteral(init) ? init.text : undefined;
          if (p.name.text === 'code' && str !== undefined) code = str;
          if (p.name.text === 'ext' && str !== undefined) ext = str;
        }
        if (code !== undefined) {
          let body = dedent(code);
          if (!/^\s*(import|export)\s/m.test(body)) body += ext === '.js' ? '\nmodule.exports.__case = true;\n' : '\nexport {};\n';
          const file = path.join(dir, `${t.replace(/\.test\.ts$/, '')}-${++n}${ext}`);
          fs.writeFileSync(file, body);
          files.push(file);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return files;
}

/** The shared corpus: the directory given, else fetched with ../shared/corpus/fetch-corpus.sh when that script exists. */
export function corpusDir(given, { fetch = true } = {}) {
  if (given) return path.resolve(given);
  if (process.env.LINGER_CORPUS && fs.existsSync(path.join(process.env.LINGER_CORPUS, 'node_modules'))) return process.env.LINGER_CORPUS;
  const script = path.join(ROOT, '..', 'shared', 'corpus', 'fetch-corpus.sh');
  if (!fetch || !fs.existsSync(script)) return undefined;
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  return out.trim().split('\n').pop();
}

export const CORPUS_PACKAGES = ['mongodb/src', '@grpc/grpc-js/src', 'undici', 'ws', 'pg', 'mysql2', 'ioredis', 'axios', 'got', 'node-fetch',
  'socket.io', 'amqplib', 'nodemailer', 'ssh2', 'kafkajs'];

/** Source files of the corpus packages (not their dependencies), sorted. */
export function corpusFiles(dir) {
  const out = [];
  for (const p of CORPUS_PACKAGES) walk(path.join(dir, 'node_modules', p), out);
  return out;
}

/** A scratch workspace (a folder with a package.json) in the OS temp dir. */
export function scratchWorkspace(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"linger-scratch","private":true}\n');
  return dir;
}

/** Pick `n` items deterministically (evenly spread), keeping order. */
export function spread(items, n) {
  if (n >= items.length) return items;
  const out = [];
  for (let i = 0; i < n; i++) out.push(items[Math.floor((i * items.length) / n)]);
  return out;
}
