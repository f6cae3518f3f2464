// Calls of a class's method from outside the class, found mostly without the type checker: `board.onSplit(split)` where
// `const board = new Scoreboard(io, link)`, or `this.display.push(frame)` where the class was given `private readonly
// display: DisplayLink`; the checker only for a property of a plain name (`deps.feed.follow(region)`). How often a method runs is told by these calls as much as by the class's own `this.m(…)`.
import { ts } from 'ts-morph';
import { skipOuter, within } from './ast';
import { callsIn } from './syntax';
import { programOf } from './required-modules';
import { SyntaxContext } from './context';
import { projectCallsOf, projectConstructionsOf } from './run-rate';
import { inTestCode } from './execution';
import { fieldKeeping } from './wrapper-classes';

/** The name identifiers of `x.method(…)` calls in the project whose receiver is declared as an instance of the method's class. */
export function outsideMethodCalls(ctx: SyntaxContext, method: ts.MethodDeclaration): ts.Identifier[] {
  const cls = method.parent;
  const name = ts.isIdentifier(method.name) ? method.name.text : undefined;
  if (!name || !ts.isClassDeclaration(cls) || !cls.name || method.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword || m.kind === ts.SyntaxKind.PrivateKeyword)) return [];
  const program = programOf(ctx.checker);
  if (!program) return [];
  // By its name, and where the name resolves, to this class: another module's class of the same name is another class.
  const isTheClass = (id: ts.Identifier) => {
    if (id.text !== cls.name!.text) return false;
    const decls = ctx.resolver.targetOf(id)?.declarations;
    return !decls?.length || decls.includes(cls);
  };
  return (callsByMethodName(program).get(name) ?? []).filter((access) => access.getSourceFile() !== cls.getSourceFile() || !within(access, cls))
    .filter((access) => instanceOf(ctx, access.expression, isTheClass, cls)).map((access) => access.name as ts.Identifier);
}

/**
 * Per program: `x.m(…)`, `x.f.m(…)` and `this.f.m(…)` calls by method name, in the project's own files. Each file's
 * calls are indexed once (a new program after an edit keeps the SourceFile objects of the files that did not change),
 * so an edit re-indexes only the edited file.
 */
const CALLS = new WeakMap<ts.Program, Map<string, ts.PropertyAccessExpression[]>>();
const FILE_CALLS = new WeakMap<ts.SourceFile, Map<string, ts.PropertyAccessExpression[]>>();

function callsByMethodName(program: ts.Program): Map<string, ts.PropertyAccessExpression[]> {
  let byName = CALLS.get(program);
  if (byName) return byName;
  byName = new Map();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || /[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
    for (const [name, list] of fileCallsByName(sf)) byName.set(name, [...(byName.get(name) ?? []), ...list]);
  }
  CALLS.set(program, byName);
  return byName;
}

function fileCallsByName(sf: ts.SourceFile): Map<string, ts.PropertyAccessExpression[]> {
  let index = FILE_CALLS.get(sf);
  if (index) return index;
  index = new Map();
  for (const n of callsIn(sf, () => undefined)) {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || !ts.isIdentifier(n.expression.name)) continue;
    const recv = skipOuter(n.expression.expression);
    if (ts.isIdentifier(recv) || (ts.isPropertyAccessExpression(recv) && (recv.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(recv.expression)))) {
      index.set(n.expression.name.text, [...(index.get(n.expression.name.text) ?? []), n.expression]);
    }
  }
  FILE_CALLS.set(sf, index);
  return index;
}

type IsTheClass = (id: ts.Identifier) => boolean;

/** The receiver is declared as an instance of the class: made with `new`, or typed so (a variable, a parameter, a field). */
function instanceOf(ctx: SyntaxContext, recv: ts.Expression, isTheClass: IsTheClass, cls: ts.ClassDeclaration): boolean {
  const x = skipOuter(recv);
  if (ts.isIdentifier(x)) {
    const decl = ctx.resolver.symbolOf(x)?.valueDeclaration;
    return !!decl && (declaresInstance(decl, isTheClass) || (ts.isBindingElement(decl) && givenInstance(ctx, decl, isTheClass)));
  }
  if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = ts.findAncestor(x, ts.isClassLike);
    const field = x.name.text;
    if (!cls) return false;
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    const param = ctor?.parameters.find((p) => ts.getModifiers(p)?.length && ts.isIdentifier(p.name) && p.name.text === field);
    if (param) return declaresInstance(param, isTheClass);
    const prop = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === field);
    if (prop) return declaresInstance(prop, isTheClass);
    return !!ctor && ts.isClassDeclaration(cls) && keptFromConstructor(ctx, cls, ctor, field, isTheClass);
  }
  // `deps.feed.follow(region)` with `deps: { feed: DashboardFeed }`: the type says it, where there is one.
  if (ts.isPropertyAccessExpression(x)) {
    const sym = ctx.checker.getTypeAtLocation(x).getNonNullableType().getSymbol();
    return !!sym?.declarations?.includes(cls);
  }
  return false;
}

/**
 * `function consoleRouter({ runner })` whose every call in the project passes an options literal naming an instance of the
 * class for that option (`consoleRouter({ runner })` with `const runner = new CueRunner(…)`), also through a caller's
 * parameter handed on whole (`createApp({ runner })`, whose `deps` goes to `consoleRouter(deps)`).
 */
function givenInstance(ctx: SyntaxContext, el: ts.BindingElement, isTheClass: IsTheClass): boolean {
  const param = el.parent.parent;
  const fn = ts.isObjectBindingPattern(el.parent) && ts.isParameter(param) ? param.parent : undefined;
  return !!fn && optionGivenInstance(ctx, fn, fn.parameters.indexOf(param as ts.ParameterDeclaration), (el.propertyName ?? el.name).getText(), isTheClass, 0);
}

function optionGivenInstance(ctx: SyntaxContext, fn: ts.Node, index: number, key: string, isTheClass: IsTheClass, depth: number): boolean {
  if (!(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  // The application's calls, not its tests' (`createApp({ runner: fakeRunner })`).
  const calls = projectCallsOf(ctx, fn)?.filter((id) => !inTestCode(id));
  return !!calls?.length && calls.every((id) => {
    const call = id.parent;
    const arg = ts.isCallExpression(call) && call.expression === id ? call.arguments[index] : undefined;
    return !!arg && argGivesInstance(ctx, arg, key, isTheClass, depth);
  });
}

/** The argument names an instance: itself (`key` undefined), or as its option `key` (`{ displays }`, `{ displays: hub }`). */
function argGivesInstance(ctx: SyntaxContext, arg: ts.Expression, key: string | undefined, isTheClass: IsTheClass, depth: number): boolean {
  const opts = skipOuter(arg);
  if (key !== undefined && ts.isIdentifier(opts) && depth < 2) {
    const whole = ctx.resolver.symbolOf(opts)?.valueDeclaration;
    const caller = whole && ts.isParameter(whole) && ts.isIdentifier(whole.name) ? whole.parent : undefined;
    return !!caller && optionGivenInstance(ctx, caller, caller.parameters.indexOf(whole as ts.ParameterDeclaration), key, isTheClass, depth + 1);
  }
  const prop = key === undefined ? undefined : ts.isObjectLiteralExpression(opts) ? opts.properties.find((p) => p.name?.getText() === key) : undefined;
  const value = key === undefined ? opts : prop && (ts.isShorthandPropertyAssignment(prop) ? prop.name : ts.isPropertyAssignment(prop) ? skipOuter(prop.initializer) : undefined);
  const decl = value && ts.isIdentifier(value) ? ctx.resolver.symbolOf(value)?.valueDeclaration : undefined;
  return !!decl && declaresInstance(decl, isTheClass);
}

/**
 * A JavaScript class's `this.displays = displays` in its constructor, of a parameter (`constructor(displays)`) or an option
 * of one (`constructor({ url, displays })`), where every `new` of the class in the application passes an instance there.
 */
function keptFromConstructor(ctx: SyntaxContext, owner: ts.ClassDeclaration, ctor: ts.ConstructorDeclaration, field: string, isTheClass: IsTheClass): boolean {
  // The parameter (or the option of one) the constructor keeps in the field: wrapper-classes' fieldKeeping, asked the other way round.
  const given = ctor.parameters.flatMap((p, i) => (ts.isObjectBindingPattern(p.name)
    ? p.name.elements.map((e) => ({ i, key: (e.propertyName ?? e.name).getText() as string | undefined })) : [{ i, key: undefined }]))
    .find(({ i, key }) => fieldKeeping(ctor, i, key) === field);
  if (!given) return false;
  const made = projectConstructionsOf(ctx, owner).filter((n) => !inTestCode(n));
  return made.length > 0 && made.every((n) => !!n.arguments?.[given.i] && argGivesInstance(ctx, n.arguments[given.i], given.key, isTheClass, 0));
}

function declaresInstance(decl: ts.Node, isTheClass: IsTheClass): boolean {
  if (!ts.isVariableDeclaration(decl) && !ts.isParameter(decl) && !ts.isPropertyDeclaration(decl)) return false;
  const type = decl.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && isTheClass(type.typeName)) return true;
  const init = decl.initializer && skipOuter(decl.initializer);
  return !!init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && isTheClass(init.expression);
}
