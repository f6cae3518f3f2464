// Seeded generator of functions that hold a resource, for the generative fix checker. Each unit is
// one top-level declaration named `u<N>`; its body combines a creation shape (same-line statements,
// conditional creation, a loop body, a `switch` case, a nested block, a callback parameter, a
// parameter default) with statement shapes (early exits, awaits, try/catch, labelled loops,
// `switch`, closures of every timing, hoisted functions, closures declared before a `const` they
// read, class static blocks, generators, JSX) and a release placement (at the end, in one branch,
// none). Everything is a pure function of the seed.
import { CALLBACK_KIND, KINDS, ResourceKind } from './kinds';

export class Rng {
  private a: number;
  constructor(seed: number) { this.a = seed >>> 0; }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(w: Partial<Record<K, number>>): K {
    const entries = Object.entries(w).filter(([, v]) => (v as number) > 0) as Array<[K, number]>;
    let x = this.next() * entries.reduce((a, [, v]) => a + v, 0);
    for (const [k, v] of entries) { x -= v; if (x < 0) return k; }
    return entries[entries.length - 1][0];
  }
}

export type Ext = '.ts' | '.tsx' | '.js';

export interface Unit {
  name: string;
  text: string;
  kind: ResourceKind;
  /** The variable (or callback parameter) that holds the resource. */
  resource: string;
  /** The creating expression's text, unique in the file (for callbacks: the call that delivers it). */
  creation: string;
  callback: boolean;
  /** Handed to other code somewhere (`p.keep(r)`): no release is owed on paths through that. */
  escapes: boolean;
  features: string[];
}

export interface GenFile {
  ext: Ext;
  /** The imports and module-level declarations, then a blank line; the units follow. */
  header: string;
  text: string;
  units: Unit[];
}

interface Ctx {
  rng: Rng;
  next: () => number;
  kind: ResourceKind;
  r: string;
  ext: Ext;
  isAsync: boolean;
  isGenerator: boolean;
  guarded: boolean;
  loops: string[];
  inSwitch: boolean;
  /** In a class static block: no `return`, `await` or `yield`. */
  noReturn: boolean;
  depth: number;
  features: Set<string>;
  escapes: boolean;
  pre: string[];
  hoisted: string[];
}

const indent = (lines: string[], by = '  ') => lines.map((l) => (l ? by + l : l));

/**
 * The extension of each file in turn, 12 `.ts` : 3 `.tsx` : 5 `.js` every 20 files: a fixed cycle, not
 * a draw, so that every run of a few files has JSX to generate (a draw left 1 run in 60 without any).
 */
const EXT_CYCLE: Ext[] = ['.ts', '.js', '.tsx', '.ts', '.ts', '.js', '.ts', '.tsx', '.ts', '.js', '.ts', '.ts', '.js', '.ts', '.tsx', '.ts', '.ts', '.js', '.ts', '.ts'];

export function generateFile(rng: Rng, count: number, fileNo: number): GenFile {
  const ext = EXT_CYCLE[fileNo % EXT_CYCLE.length];
  const units: Unit[] = [];
  let counter = fileNo * 100_000;
  const next = () => ++counter;
  for (let i = 0; i < count; i++) units.push(generateUnit(rng, ext, next));
  const kinds = new Set(units.map((u) => (u.kind.id === 'pool-callback' ? KINDS[3] : u.kind)));
  const header = [...new Set([...kinds].flatMap((k) => (ext === '.js' ? k.header.js : k.header.ts)))];
  // Other rules' fixes: an agent per call (connection-churn) needs http.
  if (units.some((u) => u.features.includes('item:agentPerCall'))) header.push(ext === '.js' ? "const http = require('http');" : "import * as http from 'http';");
  const head = `${header.join('\n')}\n`;
  const text = `${head}\n${units.map((u) => u.text).join('\n\n')}\n`;
  return { ext, header: head, text, units };
}

function generateUnit(rng: Rng, ext: Ext, next: () => number): Unit {
  const n = next();
  const callback = rng.chance(0.08);
  const kind = callback ? CALLBACK_KIND : rng.pick(KINDS);
  const wrapper = pickWrapper(rng, ext, kind.needsAsync);
  const r = rng.pick(['s', 'conn', 'client', 'sock', 'res']);
  const ctx: Ctx = {
    rng, next, kind, r, ext, isAsync: wrapper.isAsync, isGenerator: wrapper.isGenerator, guarded: false, loops: [], inSwitch: false, noReturn: false,
    depth: 0, features: new Set([`kind:${kind.id}`, `wrapper:${wrapper.id}`, `ext:${ext}`]), escapes: false, pre: [], hoisted: [],
  };
  const creation = kind.make(n);
  const body = callback ? callbackBody(ctx, n) : creationBody(ctx, creation);
  const lines = [...ctx.pre, ...body];
  if (ctx.hoisted.length) insertStatements(lines, rng, ctx.hoisted, 0);
  if (wrapper.id === 'component') lines.push(`return <div>{${n}}</div>;`);
  comment(rng, lines, ctx);
  const name = `u${n}`;
  return {
    name, text: wrapper.wrap(name, lines, ext), kind, resource: r, creation: callback ? 'pool.connect(' : creation, callback,
    escapes: ctx.escapes, features: [...ctx.features],
  };
}

interface Wrapper { id: string; isAsync: boolean; isGenerator: boolean; wrap(name: string, body: string[], ext: Ext): string }

function pickWrapper(rng: Rng, ext: Ext, needsAsync: boolean): Wrapper {
  const param = (e: Ext) => (e === '.js' ? 'p' : 'p: GenParams');
  const ex = (e: Ext) => (e === '.js' ? '' : 'export ');
  const fn = (kw: string, id: string, isAsync: boolean, isGenerator: boolean): Wrapper => ({
    id, isAsync, isGenerator,
    wrap: (name, body, e) => `${ex(e)}${kw} ${name}(${param(e)}) {\n${indent(body).join('\n')}\n}`,
  });
  const choices: Record<string, Wrapper> = {
    sync: fn('function', 'sync', false, false),
    async: fn('async function', 'async', true, false),
    generator: fn('function*', 'generator', false, true),
    asyncGenerator: fn('async function*', 'asyncGenerator', true, true),
    arrow: { id: 'arrow', isAsync: true, isGenerator: false, wrap: (name, body, e) => `${ex(e)}const ${name} = async (${param(e)}) => {\n${indent(body).join('\n')}\n};` },
    method: {
      id: 'method', isAsync: true, isGenerator: false,
      wrap: (name, body, e) => `${ex(e)}class ${name} {\n  async run(${param(e)}) {\n${indent(body, '    ').join('\n')}\n  }\n}`,
    },
    component: fn('function', 'component', false, false),
  };
  const w = rng.weighted({
    sync: needsAsync ? 0 : 3, async: 4, generator: needsAsync ? 0 : 0.6, asyncGenerator: 0.6, arrow: 1, method: 1,
    component: ext === '.tsx' && !needsAsync ? 1 : 0,
  });
  return choices[w];
}

// ---- creation shapes --------------------------------------------------------------------------

function creationBody(ctx: Ctx, creation: string): string[] {
  const { rng, r, kind } = ctx;
  const shape = rng.weighted({
    const: 8, let: 2, var: 1, sameLine: 2, conditional: 2, nestedBlock: 1, ifBlock: 1, loopBody: 2, labelledLoop: 1,
    switchCase: 2, paramDefault: 0.3, arrowBody: 0.3, closureBefore: 1, hoisted: 1, staticBlock: kind.needsAsync ? 0 : 0.3,
  });
  ctx.features.add(`creation:${shape}`);
  const connect = kind.connect && rng.chance(0.7) ? [kind.connect(r)] : [];
  const decl = (kw: string) => `${kw} ${r} = ${creation};`;
  switch (shape) {
    case 'let': return [decl('let'), ...connect, ...region(ctx)];
    case 'var': return [decl('var'), ...connect, ...region(ctx)];
    case 'sameLine': {
      const rest = region(ctx);
      const first = connect[0] ?? (rest.length && !rest[0].startsWith(' ') && !/[{}]\s*$/.test(rest[0]) ? rest.shift()! : kind.use(r, ctx.next()));
      return [`${decl('const')} ${first}`, ...connect.slice(1), ...rest];
    }
    case 'conditional': {
      ctx.guarded = true;
      const type = ctx.ext === '.js' ? '' : `: ${kind.type} | undefined`;
      return [`let ${r}${type};`, `if (p.flag) ${r} = ${creation};`, ...region(ctx)];
    }
    case 'nestedBlock': return ['{', ...indent([decl('const'), ...connect, ...region(ctx)]), '}', ...tail(ctx)];
    case 'ifBlock': return ['if (p.flag) {', ...indent([decl('const'), ...connect, ...region(ctx)]), '}', ...tail(ctx)];
    case 'loopBody':
    case 'labelledLoop': {
      const label = shape === 'labelledLoop' ? `outer${ctx.next()}` : '';
      ctx.loops = [label];
      const head = `${label ? `${label}: ` : ''}for (const x of p.items) {`;
      return [head, ...indent([decl('const'), ...connect, ...region(ctx)]), '}', ...tail(ctx)];
    }
    case 'switchCase': {
      ctx.inSwitch = true;
      const braces = rng.chance(0.5);
      const inner = [decl('const'), ...connect, ...region(ctx), 'break;'];
      const n = ctx.next();
      return ['switch (p.kind) {', `  case 'a${n}':${braces ? ' {' : ''}`, ...indent(inner, braces ? '      ' : '    '), ...(braces ? ['    }'] : []),
        `  case 'b${n}':`, `    console.log(${n});`, '    break;', '  default:', `    console.log(${n + 1});`, '}', ...tail(ctx)];
    }
    case 'staticBlock': {
      // Code in a static block runs when the class is defined; it is no function's body.
      Object.assign(ctx, { isAsync: false, isGenerator: false, noReturn: true });
      const n = ctx.next();
      return [`class K${n} {`, '  static {', ...indent([decl('const'), ...region(ctx)], '    '), '  }', '}'];
    }
    case 'paramDefault': {
      const n = ctx.next();
      const async = kind.needsAsync ? 'async ' : '';
      return [`const inner${n} = ${async}(${r} = ${creation.replace(/^await /, '')}) => {`, `  console.log(${r}, ${n});`, '};', `${kind.needsAsync ? 'await ' : ''}inner${n}();`];
    }
    case 'arrowBody': {
      const n = ctx.next();
      return [`const inner${n} = ${kind.needsAsync ? 'async ' : ''}() => ${creation};`, `console.log(inner${n});`];
    }
    case 'closureBefore': {
      const n = ctx.next();
      ctx.pre.push(`const show${n} = () => console.log(limit${n});`);
      return [decl('const'), ...connect, `const limit${n} = ${n};`, `show${n}();`, ...region(ctx)];
    }
    case 'hoisted': {
      const n = ctx.next();
      ctx.pre.push(`helper${n}();`);
      const body = [decl('const'), ...connect, ...region(ctx)];
      insertStatements(body, rng, [`function helper${n}() {`, `  console.log(${n});`, '}'], 1);
      return body;
    }
    default: return [decl('const'), ...connect, ...region(ctx)];
  }
}

/** Comments where fixes insert and move text: after a statement (`// …`) and before one (`/* … *\/`). */
function comment(rng: Rng, lines: string[], ctx: Ctx): void {
  if (!rng.chance(0.3)) return;
  ctx.features.add('comments');
  for (let i = 0; i < lines.length; i++) {
    if (rng.chance(0.08)) lines[i] += ` // note ${i}`;
    else if (rng.chance(0.04) && lines[i].trim()) lines[i] = lines[i].replace(/^(\s*)/, `$1/* c${i} */ `);
  }
}

/** Insert `stmts` between two statements of `lines` (never inside a multi-line one), at index `from` or later. */
function insertStatements(lines: string[], rng: Rng, stmts: string[], from: number): void {
  const starts = [];
  for (let i = from; i <= lines.length; i++) if (i === lines.length || !/^[\s})\]]/.test(lines[i])) starts.push(i);
  lines.splice(rng.pick(starts), 0, ...stmts);
}

/** Statements after a nested scope that held the resource. */
function tail(ctx: Ctx): string[] {
  return ctx.rng.chance(0.5) ? [`console.log(${ctx.next()});`] : [];
}

function callbackBody(ctx: Ctx, n: number): string[] {
  const { rng, r } = ctx;
  if (rng.chance(0.15)) {
    ctx.features.add('creation:callbackExpression');
    return [`pool.connect((err, ${r}, done) => console.log(err, ${n}));`];
  }
  ctx.features.add('creation:callback');
  // The callback is neither async nor a generator, whatever wraps it.
  ctx.isAsync = false;
  ctx.isGenerator = false;
  const inner = [rng.chance(0.7) ? 'if (err) return;' : 'if (err) throw err;', ...region(ctx, { callback: true })];
  return [`pool.connect((err, ${r}, done) => {`, ...indent(inner), '});'];
}

// ---- the region: uses, exits, closures, then the release ---------------------------------------

function region(ctx: Ctx, opts: { callback?: boolean } = {}): string[] {
  const { rng, kind, r } = ctx;
  const out = items(ctx, 1 + rng.int(5));
  const own = ctx.guarded ? kind.own(r).replace(`${r}.`, `${r}?.`) : kind.own(r);
  const usable = !kind.own(r).startsWith('await') || ctx.isAsync || opts.callback;
  const placement = rng.weighted({ end: usable ? 6 : 0, endReturn: usable ? 2 : 0, branch: usable ? 1.5 : 0, none: 3, finally: usable ? 0.5 : 0, listener: kind.event ? 0.5 : 0 });
  ctx.features.add(`release:${placement}`);
  const n = ctx.next();
  switch (placement) {
    case 'end': return [...out, own];
    case 'endReturn': return ctx.loops.length || ctx.inSwitch || ctx.noReturn ? [...out, own] : [...out, own, `return ${n};`];
    case 'branch': return [`if (p.flags[${n % 4}]) {`, `  ${own}`, `  ${exitFor(ctx, n)}`, '}', ...out];
    case 'finally': return ['try {', ...indent(out), '} finally {', `  ${own}`, '}'];
    case 'listener': return [`${r}.on('end', () => ${kind.own(r).replace(/;$/, '')});`, ...out];
    default: return out;
  }
}

function exitFor(ctx: Ctx, n: number): string {
  if (ctx.loops.length) return ctx.rng.chance(0.5) ? 'continue;' : 'break;';
  if (ctx.inSwitch) return 'break;';
  return ctx.noReturn || ctx.rng.chance(0.3) ? `throw new Error('${n}');` : `return ${n};`;
}

type Item = 'timeout' | 'agentPerCall' | 'use' | 'step' | 'exit' | 'throw' | 'await' | 'awaitSafe' | 'tryCatch' | 'ifElse' | 'loop' | 'switch' | 'promise' | 'forEach' |
  'timer' | 'listener' | 'fnDecl' | 'classStatic' | 'yield' | 'jsx' | 'forAwait' | 'sameLine' | 'escape' | 'tryFinallyUse';

function items(ctx: Ctx, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(...item(ctx));
  return out;
}

function item(ctx: Ctx): string[] {
  const { rng, kind, r } = ctx;
  const deep = ctx.depth < 2;
  const closures = !ctx.guarded;
  const pick = rng.weighted<Item>({
    use: 5, step: 2, exit: 3, throw: 1.5, await: ctx.isAsync ? 2.5 : 0, awaitSafe: ctx.isAsync ? 0.5 : 0, tryCatch: deep ? 1 : 0,
    ifElse: deep ? 1 : 0, loop: deep ? 0.8 : 0, switch: deep ? 0.6 : 0, promise: closures && ctx.isAsync ? 1.2 : 0,
    forEach: closures ? 1 : 0, timer: closures ? 0.8 : 0, listener: closures && kind.event ? 0.8 : 0, fnDecl: closures ? 0.5 : 0,
    classStatic: 0.4, yield: ctx.isGenerator ? 1 : 0, jsx: ctx.ext === '.tsx' && closures ? 0.8 : 0, forAwait: ctx.isAsync ? 0.4 : 0,
    sameLine: 1, escape: 0.15, tryFinallyUse: deep ? 0.3 : 0,
    timeout: !ctx.guarded && (kind.id === 'net' || kind.id === 'tls') ? 0.5 : 0, agentPerCall: 0.2,
  });
  ctx.features.add(`item:${pick}`);
  const n = ctx.next();
  const use = () => (ctx.guarded ? kind.guardedUse(r, n) : kind.use(r, n));
  const syncUse = () => use().replace(/^await /, 'void ').replace(/^console/, 'console');
  const nested = (extra: Partial<Ctx> = {}) => {
    const saved = { depth: ctx.depth, loops: ctx.loops, inSwitch: ctx.inSwitch };
    Object.assign(ctx, { depth: ctx.depth + 1 }, extra);
    const lines = items(ctx, 1 + rng.int(3));
    Object.assign(ctx, saved);
    return lines;
  };
  const ty = (t: string) => (ctx.ext === '.js' ? '' : t);
  switch (pick) {
    case 'use': return [use()];
    case 'step': return [`console.log(${n});`];
    case 'exit': {
      const exit = ctx.loops.length && rng.chance(0.7) ? loopExit(ctx) : ctx.inSwitch && rng.chance(0.3) ? 'break;'
        : ctx.noReturn ? `throw new Error('${n}');` : rng.chance(0.5) ? `return ${n};` : 'return;';
      const f = rng.int(3);
      if (f === 0) return [`if (p.flags[${n % 4}]) ${exit}`];
      if (f === 1) return [`if (p.flags[${n % 4}]) {`, `  console.log(${n});`, `  ${exit}`, '}'];
      return [`if (p.flags[${n % 4}]) ${exit} ${use()}`];
    }
    case 'throw': return [`if (p.flags[${n % 4}]) throw new Error('${n}');`];
    case 'await': return [rng.pick([`await p.work(${n});`, `if (await p.work(${n})) return ${n};`, `const v${n} = await p.work(${n});`])];
    case 'awaitSafe': return [`await p.work(${n}).catch(() => undefined);`];
    case 'tryCatch': {
      const c = rng.int(3);
      if (c === 0) return ['try {', ...indent(nested()), '} catch {', `  console.log(${n});`, '}'];
      if (c === 1) return ['try {', ...indent(nested()), '} catch (e) {', `  ${ctx.noReturn ? 'throw e;' : `return ${n};`}`, '}'];
      return ['try {', ...indent(nested()), '} finally {', `  console.log(${n});`, '}'];
    }
    case 'ifElse': return [`if (p.flags[${n % 4}]) {`, ...indent(nested()), '} else {', ...indent(nested()), '}'];
    case 'loop': {
      if (rng.chance(0.3)) {
        const label = `outer${n}`;
        return [`${label}: for (const x of p.items) {`, '  for (const y of p.items) {', `    if (y === x) continue ${label};`, ...indent(nested({ loops: [label, ''] }), '    '), '  }', '}'];
      }
      return [rng.chance(0.5) ? 'for (const x of p.items) {' : `while (p.flags[${n % 4}]) {`, ...indent(nested({ loops: [''] })), '}'];
    }
    case 'switch': return ['switch (p.kind) {', `  case 'x${n}':`, ...indent(nested({ inSwitch: true }), '    '), '    break;', `  case 'y${n}':`, ...indent(nested({ inSwitch: true }), '    '), '  default:', `    console.log(${n});`, '}'];
    case 'promise': {
      if (kind.event) {
        return [`const v${n} = await new Promise${ty('<unknown>')}((resolve, reject) => {`, `  ${r}.once('${kind.event}', resolve);`, `  ${r}.once('error', reject);`, '});'];
      }
      return [`const v${n} = await new Promise((resolve, reject) => {`, `  ${syncUse().replace(/;$/, '')};`, `  setTimeout(resolve, ${n % 50});`, '});'];
    }
    case 'forEach': return [`p.items.forEach((x) => { ${syncUse()} });`];
    case 'timer': return [`setTimeout(() => { ${syncUse()} }, ${n % 100});`];
    case 'listener': return [`${r}.on('${kind.event}', () => { ${syncUse()} });`];
    case 'fnDecl': return [`function send${n}() {`, `  ${syncUse()}`, '}', `send${n}();`];
    case 'classStatic': return [`class K${n} {`, '  static {', `    ${rng.chance(0.5) && !ctx.guarded ? syncUse() : `console.log(${n});`}`, '  }', '}'];
    case 'yield': return [`yield ${n};`];
    case 'jsx': return [`const el${n} = <button onClick={() => { ${syncUse()} }}>{${n}}</button>;`, `console.log(el${n});`];
    case 'forAwait': return ['for await (const x of p.stream) {', `  console.log(x, ${n});`, '}'];
    case 'sameLine': return [`console.log(${n}); ${use()}`];
    case 'escape': ctx.escapes = true; return [`p.keep(${r});`];
    // timeout-without-destroy: a timeout armed with no handler, or a handler that does not destroy.
    case 'timeout': return rng.chance(0.5) ? [`${r}.setTimeout(${n});`] : [`${r}.setTimeout(${n});`, `${r}.on('timeout', () => { console.log(${n}) });`];
    // connection-churn: a new agent for one request.
    case 'agentPerCall': return [`http.get({ host: p.host, path: '/${n}', agent: new http.Agent({ keepAlive: true }) }, (up) => up.resume());`];
    case 'tryFinallyUse': return ['try {', ...indent(nested()), '} finally {', `  ${syncUse()}`, '}'];
  }
}

function loopExit(ctx: Ctx): string {
  const label = ctx.loops.find((l) => l && ctx.rng.chance(0.5));
  return `${ctx.rng.chance(0.6) ? 'continue' : 'break'}${label ? ` ${label}` : ''};`;
}
