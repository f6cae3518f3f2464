// Mutation operators over source text, and generators of pathological inputs. Every function takes
// an Rng, so a mutant is reproducible from its seed and index.

const TOKEN_RE = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`|\/\/[^\n]*|\/\*|\*\/|=>|===|!==|==|!=|<=|>=|&&|\|\||\?\?|\?\.|\.\.\.|[{}()[\];,.<>+\-*/%=!?:&|^~@#]/g;

/** Tokens of a text as [start, end] offsets (a rough lexer: good enough to delete and duplicate tokens). */
export function tokenize(text) {
  const out = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

const IDENTS = ['destroy', 'end', 'close', 'release', 'on', 'once', 'then', 'catch', 'finally', 'await', 'return', 'async', 'yield',
  'using', 'null', 'undefined', 'this', 'socket', 'res', 'client', 'connect', 'request', 'fetch', 'get', 'query', 'pool', 'resume',
  'dump', 'pipe', 'constructor', 'prototype', '__proto__', 'arguments', 'eval', 'let', 'var', 'const', 'function', 'class', 'new'];

const ODD_CHARS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\r', '\u001b', '\u007f', '\u0085', '\u00a0', '\u1680', '\u2028', '\u2029',
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\u{1f600}', '\u{10ffff}',
  '\u202e', '\u202d', '\u2066', '\u2067', '\u2069', '\u200f', '\u200e', '\u061c', '\u0301', '\u00e9', '\u4e2d', '\\', '\\u', '\\u{', '"', "'", '`', '${', '/*', '*/', '//', '<', '>', '#!'];

/** Modern or rarely seen syntax, inserted at line boundaries. */
const SNIPPETS = [
  'using s0 = net.connect(1);',
  'await using s1 = net.createConnection(2);',
  '{ using r = getResource(); }',
  'const here = import.meta.url, dir = import.meta.dirname;',
  'await Promise.resolve(1);',
  'for await (const chunk of stream) { console.log(chunk); }',
  '@decorator() class D0 { @field x = 1; @method() m() {} }',
  'class D1 { @((x: any) => x) accessor y = 1; static { init(); } #p = 2; get #q() { return this.#p; } }',
  'export default async function* g() { yield* h(); }',
  'enum E { A = 1, B = A << 1 }',
  'declare module "m" { export function f(): void; }',
  'namespace N.M { export const a = 1; }',
  'function th(this: Window, ...rest: unknown[]) {}',
  'const { a, ...rest } = obj ?? {};',
  'label: for (;;) { break label; }',
  'try { s.write(1); } catch { } finally { }',
  'if (a) return s.destroy();',
  's.destroy();',
  'return;',
  'throw new Error("x");',
  'break;',
  'continue;',
  'yield 1;',
  'process.exit(1);',
  'x?.y?.(z)?.[0]!;',
  'const t = <T,>(v: T) => v satisfies unknown;',
  'type T0<in out U> = U extends infer V extends string ? V : never;',
  'const jsx = <div className="a">{items.map((i) => <Item key={i} {...i} />)}</div>;',
  'const frag = <><span>{s.end()}</span></>;',
  'const big = 123_456n ** 2n;',
  're = /(?<name>[\\p{L}]+)\\k<name>/gu;',
  'const tpl = `a${`b${`c${d}`}`}`;',
  'import("./dyn").then((m) => m.default);',
  'export * as ns from "./other";',
  'import type { T } from "./t";',
  'import x = require("net");',
  'export = foo;',
  'with (obj) { a = 1; }',
  'delete this.socket;',
  'arguments.callee;',
  'new.target;',
  'super.destroy();',
  'const s9 = net.connect(9); s9.on("error", () => {});',
  'const r9 = await fetch("http://x");',
  'http.get("http://x", (res) => {});',
  'const c9 = await pool.connect();',
];

function atLineBoundary(text, rng, insert) {
  const starts = lineStarts(text);
  const at = rng.pick(starts);
  return text.slice(0, at) + insert + '\n' + text.slice(at);
}

function matchingBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Each operator: (text, rng, ctx) => text. ctx: { tokens?, pool: string[] (other texts), ext }. */
export const OPERATORS = {
  truncate: (t, rng) => t.slice(0, rng.int(t.length + 1)),
  deleteToken: (t, rng, ctx) => {
    const toks = ctx.tokens ?? tokenize(t);
    if (!toks.length) return t;
    const n = rng.range(1, 3);
    const i = rng.int(toks.length);
    const end = toks[Math.min(toks.length - 1, i + n - 1)][1];
    return t.slice(0, toks[i][0]) + t.slice(end);
  },
  duplicateToken: (t, rng, ctx) => {
    const toks = ctx.tokens ?? tokenize(t);
    if (!toks.length) return t;
    const [s, e] = rng.pick(toks);
    return t.slice(0, e) + ' ' + t.slice(s, e) + t.slice(e);
  },
  swapTokens: (t, rng, ctx) => {
    const toks = ctx.tokens ?? tokenize(t);
    if (toks.length < 2) return t;
    const i = rng.int(toks.length - 1);
    const [a, b] = [toks[i], toks[i + 1]];
    return t.slice(0, a[0]) + t.slice(b[0], b[1]) + t.slice(a[1], b[0]) + t.slice(a[0], a[1]) + t.slice(b[1]);
  },
  replaceIdent: (t, rng, ctx) => {
    const toks = (ctx.tokens ?? tokenize(t)).filter(([s]) => /[A-Za-z_$]/.test(t[s]));
    if (!toks.length) return t;
    const [s, e] = rng.pick(toks);
    const other = rng.chance(0.5) ? rng.pick(IDENTS) : t.slice(...rng.pick(toks));
    return t.slice(0, s) + other + t.slice(e);
  },
  deleteLines: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    lines.splice(i, rng.range(1, 5));
    return lines.join('\n');
  },
  duplicateLines: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    const n = rng.range(1, 4);
    lines.splice(i, 0, ...lines.slice(i, i + n));
    return lines.join('\n');
  },
  swapLines: (t, rng) => {
    const lines = t.split('\n');
    if (lines.length < 2) return t;
    const i = rng.int(lines.length);
    const j = rng.int(lines.length);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  randomBytes: (t, rng) => {
    const at = rng.int(t.length + 1);
    let ins = '';
    for (let n = rng.range(1, 8); n > 0; n--) {
      ins += rng.chance(0.6) ? rng.pick(ODD_CHARS) : String.fromCharCode(rng.int(0x10000));
    }
    return t.slice(0, at) + ins + t.slice(at);
  },
  bom: (t, rng) => (rng.chance(0.7) ? '\ufeff' + t : (() => { const at = rng.int(t.length + 1); return t.slice(0, at) + '\ufeff' + t.slice(at); })()),
  loneSurrogate: (t, rng) => {
    const at = rng.int(t.length + 1);
    return t.slice(0, at) + rng.pick(['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d']) + t.slice(at);
  },
  rtl: (t, rng) => {
    let out = t;
    for (let n = rng.range(1, 4); n > 0; n--) {
      const at = rng.int(out.length + 1);
      out = out.slice(0, at) + rng.pick(['\u202e', '\u202b', '\u2067', '\u2069', '\u200f', '\u061c']) + out.slice(at);
    }
    return out;
  },
  lineSeparators: (t, rng) => {
    // CRLF, lone CR, U+2028/2029 (which TypeScript counts as line breaks, unlike editors and LSP).
    const kind = rng.int(3);
    if (kind === 0) return t.replace(/\n/g, '\r\n');
    if (kind === 1) return t.replace(/\n/g, () => (rng.chance(0.3) ? '\r' : '\n'));
    return atLineBoundary(t, rng, `// separator:${rng.pick(['\u2028', '\u2029', '\u0085'])}end`);
  },
  tsNocheck: (t, rng) => (rng.chance(0.5) ? '// @ts-nocheck\n' : '// @ts-check\n/* @jsx h */\n') + t,
  insertSnippet: (t, rng) => atLineBoundary(t, rng, rng.pick(SNIPPETS)),
  crossover: (t, rng, ctx) => {
    if (!ctx.pool.length) return t;
    const other = rng.pick(ctx.pool).split('\n');
    const i = rng.int(other.length);
    return atLineBoundary(t, rng, other.slice(i, i + rng.range(1, 12)).join('\n'));
  },
  wrapInFunction: (t, rng) => rng.pick([
    (s) => `async function __wrapped() {\n${s}\n}\n`,
    (s) => `(() => {\n${s}\n})();\n`,
    (s) => `class __W { m() {\n${s}\n} }\n`,
    (s) => `if (cond) {\n${s}\n} else { }\n`,
  ])(t),
  deleteBlock: (t, rng) => {
    const opens = [];
    for (let i = t.indexOf('{'); i >= 0 && opens.length < 2000; i = t.indexOf('{', i + 1)) opens.push(i);
    if (!opens.length) return t;
    const s = rng.pick(opens);
    const e = matchingBrace(t, s);
    if (e < 0) return t;
    return rng.chance(0.5) ? t.slice(0, s + 1) + t.slice(e) : t.slice(0, s) + t.slice(e + 1);
  },
  insertFlow: (t, rng) => atLineBoundary(t, rng, rng.pick(['return;', 'throw 0;', 'break;', 'continue;', 'await 0;', 'process.exit(1);',
    'if (Math.random()) return;', 'while (true) {}', 'for (;;) { if (x) break; }', 'debugger;'])),
  whitespace: (t, rng) => t.replace(/ {2}/g, () => rng.pick(['\t', '\u00a0', '\u3000', '  ', '\v'])),
};

export const OPERATOR_NAMES = Object.keys(OPERATORS);

/** Apply 1–3 random operators. Returns the mutant text and the names of the operators applied. */
export function mutate(text, rng, ctx) {
  let out = text;
  const ops = [];
  const n = rng.chance(0.6) ? 1 : rng.range(2, 3);
  for (let k = 0; k < n; k++) {
    const name = rng.pick(OPERATOR_NAMES);
    out = OPERATORS[name](out, rng, k === 0 ? ctx : { ...ctx, tokens: undefined });
    ops.push(name);
  }
  return { text: out, ops };
}

// ---------------------------------------------------------------------------------------------
// Generators: pathological whole files. Each: { name, ext, make() => text }.

const DEPTH = 5000;

function repeat(s, n) {
  return s.repeat(n);
}

export const GENERATORS = [
  { name: 'parens-5000', ext: '.ts', make: () => `const x = ${repeat('(', DEPTH)}1${repeat(')', DEPTH)};\nexport {};\n` },
  { name: 'arrays-5000', ext: '.ts', make: () => `const x = ${repeat('[', DEPTH)}1${repeat(']', DEPTH)};\nexport {};\n` },
  { name: 'arrows-5000', ext: '.ts', make: () => `const f = ${repeat('() => ', DEPTH)}1;\nexport {};\n` },
  { name: 'objects-5000', ext: '.js', make: () => `const o = ${repeat('{a:', DEPTH)}1${repeat('}', DEPTH)};\n` },
  { name: 'blocks-5000', ext: '.ts', make: () => `import * as net from 'net';\nexport function f(c: boolean) {\n${repeat('if (c) {\n', DEPTH)}const s = net.connect(1);\ns.write('x');\n${repeat('}\n', DEPTH)}}\n` },
  { name: 'functions-5000', ext: '.ts', make: () => `import * as net from 'net';\n${repeat('export function f() {\nconst s = net.connect(1);\n', DEPTH)}${repeat('}\n', DEPTH)}` },
  { name: 'arrow-sockets-5000', ext: '.js', make: () => `const net = require('net');\nconst f = ${repeat('() => { const s = net.connect(1); return ', DEPTH)}1${repeat('; }', DEPTH)};\n` },
  { name: 'calls-5000', ext: '.ts', make: () => `import * as net from 'net';\nconst s = ${repeat('wrap(', DEPTH)}net.connect(1)${repeat(')', DEPTH)};\nexport {};\n` },
  { name: 'member-chain-5000', ext: '.js', make: () => `const net = require('net');\nnet.connect(1)${repeat('.on("data", f)', DEPTH)};\n` },
  { name: 'then-chain-5000', ext: '.mjs', make: () => `const r = await fetch('http://x');\nawait Promise.resolve(r)${repeat('.then((v) => v)', DEPTH)};\n` },
  // The same nestings one level per line, so that the minified-file heuristic does not catch them.
  { name: 'parens-5000-lines', ext: '.ts', make: () => `export const x = ${repeat('(\n', DEPTH)}1${repeat(')\n', DEPTH)};\n` },
  { name: 'arrays-5000-lines', ext: '.js', make: () => `const x = ${repeat('[\n', DEPTH)}1${repeat(']\n', DEPTH)};\n` },
  { name: 'arrows-5000-lines', ext: '.ts', make: () => `export const f = ${repeat('() =>\n', DEPTH)}1;\n` },
  { name: 'arrow-sockets-5000-lines', ext: '.js', make: () => `const net = require('net');\nconst f = ${repeat('() => {\nconst s = net.connect(1);\nreturn ', DEPTH)}1${repeat(';\n}', DEPTH)};\n` },
  { name: 'calls-5000-lines', ext: '.ts', make: () => `import * as net from 'net';\nconst s = ${repeat('wrap(\n', DEPTH)}net.connect(1)${repeat(')\n', DEPTH)};\nexport {};\n` },
  { name: 'member-chain-5000-lines', ext: '.js', make: () => `const net = require('net');\nnet.connect(1)${repeat('\n.on("data", f)', DEPTH)};\n` },
  { name: 'then-chain-5000-lines', ext: '.mjs', make: () => `const r = await fetch('http://x');\nawait Promise.resolve(r)${repeat('\n.then((v) => v)', DEPTH)};\n` },
  { name: 'binary-100000-lines', ext: '.ts', make: () => `export const n = ${repeat('1 +\n', 100_000)}1;\n` },
  { name: 'ternary-5000-lines', ext: '.ts', make: () => `export const n = (a: boolean) => ${repeat('a ? 1 :\n', DEPTH)}0;\n` },
  { name: 'objects-5000-lines', ext: '.ts', make: () => `export const o = ${repeat('{ a:\n', DEPTH)}1${repeat('}\n', DEPTH)};\n` },
  { name: 'binary-100000', ext: '.ts', make: () => `export const n = ${repeat('1 + ', 100_000)}1;\n` },
  { name: 'ternary-5000', ext: '.ts', make: () => `export const n = (a: boolean) => ${repeat('a ? 1 : ', DEPTH)}0;\n` },
  { name: 'template-2000', ext: '.ts', make: () => `export const s = ${repeat('`${', 2000)}1${repeat('}`', 2000)};\n` },
  { name: 'try-finally-1000', ext: '.ts', make: () => `import * as net from 'net';\nexport function f() {\nconst s = net.connect(1);\n${repeat('try {\n', 1000)}s.write('x');\n${repeat('} finally { s.write("y"); }\n', 1000)}}\n` },
  { name: 'minified-2MB-single-line', ext: '.js', make: () => {
    const unit = 'var a=require("net").connect(1);a.on("data",function(d){a.write(d)});';
    return repeat(unit, Math.ceil(2 * 1024 * 1024 / unit.length));
  } },
  { name: 'minified-900KB-single-line', ext: '.js', make: () => {
    const unit = 'function f(n){return n?f(n-1)+1:0}var s=require("net").connect(1);';
    return repeat(unit, Math.floor(900 * 1024 / unit.length)) + '\n';
  } },
  { name: 'statements-100000', ext: '.ts', make: () => {
    let s = 'let x = 0;\n';
    for (let i = 0; i < 100_000; i++) s += i % 3 === 0 ? 'x++;\n' : i % 3 === 1 ? 'x = x * 2;\n' : 'f(x);\n';
    return `${s}declare function f(n: number): void;\nexport {};\n`;
  } },
  { name: 'sockets-10000', ext: '.ts', make: () => {
    let s = "import * as net from 'net';\nexport function many() {\n";
    for (let i = 0; i < 10_000; i++) s += `  const s${i} = net.connect(${i});\n`;
    return `${s}}\n`;
  } },
  { name: 'branches-3000-one-socket', ext: '.ts', make: () => {
    let s = "import * as net from 'net';\nexport function f(n: number) {\n  const s = net.connect(1);\n";
    for (let i = 0; i < 3000; i++) s += `  if (n === ${i}) { s.write('${i}'); } else if (n < 0) { return; }\n`;
    return `${s}  s.end();\n}\n`;
  } },
  { name: 'switch-10000', ext: '.js', make: () => {
    let s = "const net = require('net');\nfunction f(n) {\n  const s = net.connect(1);\n  switch (n) {\n";
    for (let i = 0; i < 10_000; i++) s += `    case ${i}: s.write('${i}'); break;\n`;
    return `${s}  }\n}\n`;
  } },
  { name: 'long-string-900KB', ext: '.ts', make: () => `export const s = "${repeat('a', 900 * 1024)}";\n` },
  { name: 'long-line-with-newlines', ext: '.js', make: () => `${repeat('x=1;', 30_000)}\n${repeat('y();\n', 400)}` },
  { name: 'empty', ext: '.ts', make: () => '' },
  { name: 'only-bom', ext: '.ts', make: () => '\ufeff' },
  { name: 'nul-bytes', ext: '.js', make: () => '\u0000'.repeat(4096) },
  { name: 'binary-garbage', ext: '.ts', make: () => {
    let s = '';
    let x = 12345;
    for (let i = 0; i < 20_000; i++) { x = (x * 1103515245 + 12345) >>> 0; s += String.fromCharCode(x >>> 16); }
    return s;
  } },
  { name: 'lone-surrogates-in-strings', ext: '.ts', make: () => "import * as net from 'net';\nexport function f() {\n  const s = net.connect(1);\n  s.write('\ud800\udc00\ud800 \udfff');\n  const \u{1d4b3} = 1; // \ud83d\n}\n" },
  { name: 'rtl-trojan-source', ext: '.js', make: () => "const net = require('net');\nfunction f(isAdmin) {\n  const s = net.connect(1);\n  /*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\n  s.end();\n  /* end admins only \u202e { \u2066*/\n}\n" },
  { name: 'ts-nocheck-leak', ext: '.ts', make: () => "// @ts-nocheck\nimport * as net from 'net';\nexport function f(p) {\n  const s = net.connect(p);\n  s.write(undefinedThing.x);\n}\n" },
  { name: 'jsx-component', ext: '.tsx', make: () => "import * as net from 'net';\nimport React from 'react';\nexport function Probe({ port }: { port: number }) {\n  const s = net.connect(port);\n  if (!port) return <div>{s.remotePort}</div>;\n  s.destroy();\n  return <><span onClick={() => s.end()}>{port}</span></>;\n}\n" },
  { name: 'jsx-in-js', ext: '.jsx', make: () => "const http = require('http');\nexport const C = () => { http.get('http://x', (res) => {}); return <p a={1} {...{b: 2}}>x</p>; };\n" },
  { name: 'decorators', ext: '.ts', make: () => "import * as net from 'net';\nfunction log(t: any, c?: any) { return t; }\n@log\nexport class Svc {\n  @log accessor port = 1;\n  @log\n  open() {\n    const s = net.connect(this.port);\n    s.write('x');\n  }\n}\n" },
  { name: 'using-declarations', ext: '.ts', make: () => "import * as net from 'net';\nexport async function f() {\n  using a = { [Symbol.dispose]() {} };\n  await using s = Object.assign(net.connect(1), { [Symbol.asyncDispose]: async () => {} });\n  s.write('x');\n}\n" },
  { name: 'import-meta-top-level-await', ext: '.mjs', make: () => "import net from 'node:net';\nconst url = new URL('.', import.meta.url);\nconst res = await fetch(url);\nconst s = net.connect(await res.json());\nawait new Promise((r) => s.once('connect', r));\nexport default s;\n" },
  { name: 'top-level-await-leak', ext: '.mts', make: () => "import * as net from 'node:net';\nconst s = net.connect(1);\nawait s.write('x');\nif (import.meta.main) process.exit(0);\n" },
  { name: 'cjs-dynamic', ext: '.cjs', make: () => "const m = 'n' + 'et';\nconst net = require(m);\nmodule.exports = function () { const s = net.connect(1); eval('s.end()'); };\n" },
];
