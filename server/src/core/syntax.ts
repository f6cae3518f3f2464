// Small syntax helpers shared by the rules, the listener inventory and the connection sites: walking calls, reading
// constant option values and ports, following a variable or field to what was assigned to it,
// and the text edits that add or drop an object-literal property.
import { ts } from 'ts-morph';
import { Origin } from './origins';
import { declaringModule } from './module-specifiers';
import { SyntaxContext } from './context';
import { assignmentsTo, skipOuter } from './ast';
import { edit } from './text';
import { typeAt } from './types-of';
import { TextEdit } from './types';

export const UNKNOWN = Symbol('unknown');
export type ConstValue = number | string | boolean | null | undefined | typeof UNKNOWN;

/** Every call and `new` in the file, in source order. */
export function forEachCall(ctx: SyntaxContext, cb: (node: ts.CallExpression | ts.NewExpression) => void): void {
  for (const call of callsIn(ctx.sourceFile, () => ctx.tick())) {
    ctx.tick();
    cb(call);
  }
}

/**
 * The calls and `new` expressions of a file, in source order (a pre-order walk), found once for
 * every rule, the listener inventory and the leak engine's subjects, which walked the whole tree a
 * dozen times before. Keyed by the syntax tree, so an edit (a new tree) starts afresh. `tick`: the
 * time budget, checked at each node of the walk.
 */
const CALLS = new WeakMap<ts.SourceFile, Array<ts.CallExpression | ts.NewExpression>>();

export function callsIn(sf: ts.SourceFile, tick: () => void): ReadonlyArray<ts.CallExpression | ts.NewExpression> {
  let calls = CALLS.get(sf);
  if (!calls) {
    const found: Array<ts.CallExpression | ts.NewExpression> = [];
    const visit = (n: ts.Node): void => {
      tick();
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) found.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    CALLS.set(sf, (calls = found));
  }
  return calls;
}

/** Where a value comes from: import/require bindings first, the declared type as a last resort. */
export function originOf(ctx: SyntaxContext, expr: ts.Expression): Origin | undefined {
  return ctx.resolver.of(expr) ?? (ts.isIdentifier(skipOuter(expr)) || ts.isPropertyAccessExpression(skipOuter(expr)) ? ctx.resolver.ofType(expr) : undefined);
}

/** Origins of each member of the expression's declared type (`http2.Http2Server | http2.Http2SecureServer`). */
export function typeOrigins(ctx: SyntaxContext, expr: ts.Expression): Origin[] {
  const type = typeAt(ctx.checker, expr);
  if (!type) return [];
  const out: Origin[] = [];
  for (const t of type.isUnion() ? type.types : [type]) {
    const sym = t.aliasSymbol ?? t.getSymbol();
    const decl = sym?.declarations?.[0];
    const module = decl && declaringModule(decl);
    if (sym && module) out.push({ module, path: [sym.getName()], instance: true });
  }
  return out;
}

export function originIs(o: Origin | undefined, modules: string[], paths: string[], instance?: boolean): boolean {
  return !!o && modules.includes(o.module) && paths.includes(o.path.join('.')) && (instance === undefined || o.instance === instance);
}

/** `Deno.listen` / `Bun.serve`: the runtime global, not a local variable of that name. */
export function globalMember(ctx: SyntaxContext, callee: ts.Expression, global: string): string | undefined {
  const c = skipOuter(callee);
  if (!ts.isPropertyAccessExpression(c) || !ts.isIdentifier(c.expression) || c.expression.text !== global) return undefined;
  const sym = ctx.resolver.symbolOf(c.expression);
  const decl = sym?.declarations?.[0];
  if (decl && !decl.getSourceFile().isDeclarationFile && !isAmbient(decl)) return undefined;
  return c.name.text;
}

/** `declare const Deno: …` / `declare global { … }`: a typing for the runtime global, not a local value. */
function isAmbient(decl: ts.Node): boolean {
  for (let n: ts.Node | undefined = decl; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  }
  return false;
}

export function methodCall(node: ts.Node): { recv: ts.Expression; name: string; call: ts.CallExpression } | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuter(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  return { recv: callee.expression, name: callee.name.text, call: node };
}

export function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

/**
 * The object literal an options argument stands for: written inline or held by a `const` (or a
 * `var`/`let` never assigned again: `var opts = { agent: false }; http.request(opts, cb)`).
 */
export function objectOf(ctx: SyntaxContext, expr: ts.Expression | undefined, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!expr || depth > 4) return undefined;
  const e = skipOuter(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const sym = ctx.resolver.symbolOf(e);
    const decl = sym?.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && (isConst(decl) || !assignedAgain(ctx, decl, sym!))) {
      return objectOf(ctx, decl.initializer, depth + 1);
    }
  }
  return undefined;
}

/** Some `x = …` (or `x += …`) of the file assigns the variable `decl` declares. */
function assignedAgain(ctx: SyntaxContext, decl: ts.VariableDeclaration, sym: ts.Symbol): boolean {
  const { values, other } = assignmentsTo(decl, sym, (n) => ctx.resolver.symbolOf(n));
  return other || values.length > 0;
}

/** `'close'` (any case, any spaces): the value of a `Connection` header that asks for a new connection next time. */
export function isCloseValue(e: ts.Expression | undefined): boolean {
  const v = e && skipOuter(e);
  return !!v && ts.isStringLiteralLike(v) && v.text.trim().toLowerCase() === 'close';
}

/** The `Connection: close` property of a headers object. */
export function connectionCloseHeader(headers: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike | undefined {
  return headers.properties.find((p) => ts.isPropertyAssignment(p) && propName(p)?.toLowerCase() === 'connection' && isCloseValue(p.initializer));
}

export function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

export interface PropLookup {
  prop?: ts.ObjectLiteralElementLike;
  value?: ts.Expression;
  /** A spread comes after it (or there is a spread and no such property): the real value is unknown. */
  opaque: boolean;
}

export function findProp(obj: ts.ObjectLiteralExpression, name: string): PropLookup {
  let found: PropLookup = { opaque: false };
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) {
      found = { ...found, opaque: true };
      continue;
    }
    if (propName(p) !== name) continue;
    if (ts.isPropertyAssignment(p)) found = { prop: p, value: p.initializer, opaque: false };
    else if (ts.isShorthandPropertyAssignment(p)) found = { prop: p, value: p.name, opaque: false };
    else found = { prop: p, opaque: true };
  }
  return found;
}

/** The value of a constant expression (literals, `const` bindings, `Infinity`), or UNKNOWN. */
export function constValue(ctx: SyntaxContext, expr: ts.Expression | undefined, depth = 0): ConstValue {
  if (!expr || depth > 5) return UNKNOWN;
  const e = skipOuter(expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isStringLiteralLike(e)) return e.text;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const v = constValue(ctx, e.operand, depth + 1);
    return typeof v === 'number' ? -v : UNKNOWN;
  }
  // `30 * 1000`: durations are written that way.
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const a = constValue(ctx, e.left, depth + 1);
    const b = constValue(ctx, e.right, depth + 1);
    return typeof a === 'number' && typeof b === 'number' ? a * b : UNKNOWN;
  }
  if (ts.isIdentifier(e)) {
    if (e.text === 'undefined') return undefined;
    if (e.text === 'Infinity') return Infinity;
    const sym = ctx.resolver.symbolOf(e);
    const decl = sym?.declarations?.[0];
    if (ts.isShorthandPropertyAssignment(e.parent) && !decl) return UNKNOWN;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && isConst(decl) && ts.isIdentifier(decl.name)) {
      return constValue(ctx, decl.initializer, depth + 1);
    }
    return UNKNOWN;
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Number' &&
      e.name.text === 'POSITIVE_INFINITY') return Infinity;
  return UNKNOWN;
}

/**
 * A port number: a constant, or the constant default of a configurable port
 * (`process.env.PORT ?? 8080`, `|| 8080`, `Number(process.env.X) || 3000`, `parseInt(env.P || '3000')`).
 * null when the code does not say.
 */
export function portValue(ctx: SyntaxContext, expr: ts.Expression | undefined, depth = 0): number | null {
  if (!expr || depth > 5) return null;
  const e = skipOuter(expr);
  const v = constValue(ctx, e);
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null;
  if (typeof v === 'string') return /^\d{1,5}$/.test(v) && Number(v) <= 65535 ? Number(v) : null;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return constValue(ctx, e.left) === UNKNOWN ? portValue(ctx, e.right, depth + 1) : null;
  }
  if (ts.isCallExpression(e) && e.arguments.length >= 1) {
    const c = skipOuter(e.expression);
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'Number' ? c.name.text : undefined;
    if (name === 'Number' || name === 'parseInt') return portValue(ctx, e.arguments[0], depth + 1);
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.PlusToken) return portValue(ctx, e.operand, depth + 1);
  return null;
}

/** A stable identity for "the same object": the symbol of a variable, or of the field in `this.x`. */
export function refSymbol(ctx: SyntaxContext, expr: ts.Expression): ts.Symbol | undefined {
  const e = skipOuter(expr);
  if (ts.isIdentifier(e)) return ctx.resolver.symbolOf(e);
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return ctx.resolver.symbolOf(e.name);
  return undefined;
}

/** What a variable or field is initialised or assigned with, anywhere in the file. */
export class Assignments {
  private bySymbol = new Map<ts.Symbol, ts.Expression[]>();

  constructor(private ctx: SyntaxContext) {
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer && ts.isIdentifier(n.name)) this.add(ctx.resolver.symbolOf(n.name), n.initializer);
      else if (ts.isPropertyDeclaration(n) && n.initializer) this.add(ctx.resolver.symbolOf(n.name), n.initializer);
      else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const sym = refSymbol(ctx, n.left);
        if (sym) this.add(sym, n.right);
      }
      ts.forEachChild(n, visit);
    };
    visit(ctx.sourceFile);
  }

  private add(sym: ts.Symbol | undefined, value: ts.Expression): void {
    if (!sym) return;
    const list = this.bySymbol.get(sym) ?? [];
    list.push(value);
    this.bySymbol.set(sym, list);
  }

  of(sym: ts.Symbol | undefined): ts.Expression[] {
    return (sym && this.bySymbol.get(sym)) ?? [];
  }

  /** The single call/new that created the object `expr` holds, when there is exactly one. */
  creationOf(expr: ts.Expression, depth = 0): ts.CallExpression | ts.NewExpression | undefined {
    const e = skipOuter(expr);
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) return e;
    if (depth > 4) return undefined;
    const values = this.of(refSymbol(this.ctx, e));
    if (values.length !== 1) return undefined;
    return this.creationOf(values[0], depth + 1);
  }
}

/** Remove a property with its separating comma, keeping the rest of the literal tidy. */
export function removePropEdits(ctx: SyntaxContext, obj: ts.ObjectLiteralExpression, prop: ts.ObjectLiteralElementLike): TextEdit[] {
  const sf = ctx.sourceFile;
  const props = obj.properties;
  const i = props.indexOf(prop);
  const text = sf.text;
  let start = prop.getStart(sf);
  let end = prop.getEnd();
  if (i < props.length - 1) {
    end = props[i + 1].getStart(sf);
  } else if (i > 0) {
    start = props[i - 1].getEnd();
    // keep a trailing comma that followed the removed property
  } else {
    // The only property: `{ localPort: 1 }` becomes `{}`.
    start = obj.getStart(sf) + 1;
    end = obj.getEnd() - 1;
  }
  // A multi-line literal: drop the whole line of the property when it stands alone on it.
  if (i < props.length - 1) {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (/^[ \t]*$/.test(text.slice(lineStart, start)) && text.slice(prop.getEnd(), end).includes('\n')) {
      const nextLineStart = text.lastIndexOf('\n', end - 1) + 1;
      return [edit(sf, ctx.file, lineStart, nextLineStart, '')];
    }
  }
  if (i === props.length - 1 && i > 0) {
    const after = text.slice(prop.getEnd(), obj.getEnd() - 1);
    const trailing = /^\s*,/.exec(after);
    if (trailing) end = prop.getEnd() + trailing[0].length;
  }
  return [edit(sf, ctx.file, start, end, '')];
}

/** Insert `name: value` into an object literal (as its last property). */
export function addPropEdit(ctx: SyntaxContext, obj: ts.ObjectLiteralExpression, text: string): TextEdit {
  const sf = ctx.sourceFile;
  const props = obj.properties;
  if (!props.length) return edit(sf, ctx.file, obj.getStart(sf), obj.getEnd(), `{ ${text} }`);
  const last = props[props.length - 1];
  const between = sf.text.slice(last.getEnd(), obj.getEnd() - 1);
  if (/^\s*,/.test(between)) {
    const comma = last.getEnd() + between.indexOf(',') + 1;
    const multiline = between.includes('\n');
    return edit(sf, ctx.file, comma, comma, multiline ? `\n${lineIndent(sf, last.getStart(sf))}${text},` : ` ${text},`);
  }
  const multiline = between.includes('\n');
  return edit(sf, ctx.file, last.getEnd(), last.getEnd(), multiline ? `,\n${lineIndent(sf, last.getStart(sf))}${text}` : `, ${text}`);
}

function lineIndent(sf: ts.SourceFile, pos: number): string {
  const lineStart = sf.text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

/** The innermost function around a node (not counting the node itself). */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) ||
        ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) return n;
  }
  return undefined;
}

/** A loop between the node and `stop` (exclusive), the loop body containing the node. */
export function loopAround(node: ts.Node, stop?: ts.Node): ts.IterationStatement | undefined {
  for (let n = node.parent; n && n !== stop; n = n.parent) {
    if (ts.isFunctionLike(n)) return undefined;
    if (ts.isIterationStatement(n, false) && n.statement.pos <= node.pos && node.end <= n.statement.end) return n;
  }
  return undefined;
}

/** A handler function given directly or as the name of a local function / class method. */
export function functionOf(ctx: SyntaxContext, expr: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!expr) return undefined;
  let e = skipOuter(expr);
  // `this.onTimeout.bind(this)`
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') e = skipOuter(e.expression.expression);
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return e;
  const sym = ts.isIdentifier(e) ? ctx.resolver.symbolOf(e) : ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword ? ctx.resolver.symbolOf(e.name) : undefined;
  const decl = sym?.declarations?.[0];
  if (!decl || decl.getSourceFile() !== ctx.sourceFile) return undefined;
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) return decl.body ? decl : undefined;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
    const init = skipOuter(decl.initializer);
    if (ts.isFunctionExpression(init) || ts.isArrowFunction(init)) return init;
  }
  return undefined;
}

export function isStringLit(e: ts.Expression | undefined, ...values: string[]): boolean {
  return !!e && ts.isStringLiteralLike(e) && values.includes(e.text);
}
