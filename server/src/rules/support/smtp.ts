// nodemailer transports as connection-churn sees them: a transport without `pool: true` connects for
// each `sendMail` and disconnects after it (nodemailer's smtp-transport; node-socket-semantics.md §7).
import { ts } from 'ts-morph';
import { CREATORS } from '../../core/catalog';
import { findNode, skipOuterUp } from '../../core/ast';
import { fileFactoryOf } from './shared-clients';
import { RuleContext } from '../../core/rule';
import { programNamesModule } from '../../core/required-modules';
import { findProp, objectOf } from '../../core/syntax';
import { optionLiterals } from './option-literals';

/** Options of nodemailer transports that do not speak SMTP (nothing connects per mail). */
const NOT_SMTP = new Set(['jsonTransport', 'streamTransport', 'sendmail', 'SES', 'pool']);

export const SMTP_TRANSPORT = CREATORS.find((c) => c.modules.includes('nodemailer') && c.names.includes('createTransport'))!;

/** A parameter that carries the application's configuration (`cfg.smtp.host`): the same server on every call. */
const CONFIG_PARAMETER = /^(cfg|conf|config|configuration|app(Config|Cfg))$/i;

/**
 * `host: notification.smtpHost`: the server is the caller's to choose, so one shared transport could
 * not serve every call (a notification provider, each with its own SMTP settings). Not the
 * application's configuration handed down (`sendRejection(cfg, envelope)` with `host: cfg.smtp.host`).
 */
export function serverFromArguments(ctx: RuleContext, opts: ts.ObjectLiteralExpression, fn: ts.SignatureDeclaration, optsArg?: ts.Expression): boolean {
  // The parameters' names, destructured ones too (`send({ smtpHost }, text)`).
  const params = new Set<ts.Symbol>();
  const collect = (n: ts.Node): void => {
    const sym = ts.isIdentifier(n) ? ctx.resolver.symbolOf(n) : undefined;
    if (sym) params.add(sym);
    ts.forEachChild(n, collect);
  };
  fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && CONFIG_PARAMETER.test(p.name.text))).forEach((p) => collect(p.name));
  const server = findProp(opts, 'host').value ?? findProp(opts, 'service').value;
  const isParam = (n: ts.Node) => ts.isIdentifier(n) && params.has(ctx.resolver.symbolOf(n) as ts.Symbol);
  // Options a project function builds (`createTransport(smtpOptions(tenant))`): its arguments may pick the server.
  if (optsArg && ts.isCallExpression(optsArg) && optsArg.arguments.some((a) => isParam(a) || !!findNode(a, isParam))) return true;
  return !!server && (isParam(server) || !!findNode(server, isParam));
}

/**
 * `const t = createTransport(o); await t.sendMail(m)`, or `await mailer().sendMail(m)`: not a health check's `t.verify()`,
 * which connects on purpose.
 */
export function sendsMail(call: ts.CallExpression, fn: ts.Node): boolean {
  const decl = skipOuterUp(call).parent;
  if (ts.isPropertyAccessExpression(decl) && decl.name.text === 'sendMail') return true;
  const name = ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
  return !!name && !!findNode(fn, (n) => ts.isPropertyAccessExpression(n) && n.name.text === 'sendMail' && ts.isIdentifier(n.expression) && n.expression.text === name);
}

/**
 * `function transport() { return nodemailer.createTransport({ host, … }) }`, a factory of the module with no parameters that
 * only its own file calls, each call a new non-pooled SMTP transport: the factory's creation is where making one pooled
 * transport once fixes every caller, and `calls` are the file's calls of it.
 */
export function smtpFactoryOf(ctx: RuleContext, call: ts.CallExpression): { creation: ts.CallExpression; options: ts.ObjectLiteralExpression; calls: ts.CallExpression[] } | undefined {
  const factory = call.arguments.length ? undefined : fileFactoryOf(ctx, call);
  const made = factory && !factory.fn.parameters.length && ts.isCallExpression(factory.creation) ? factory.creation : undefined;
  const options = made && smtpTransportOptions(ctx, made);
  return options && { creation: made!, options, calls: factory!.calls };
}

/**
 * The options of `nodemailer.createTransport({ host, port })` without `pool: true`: a non-pooled SMTP
 * transport connects for each `sendMail` and disconnects after it (nodemailer's smtp-transport;
 * `pool: true` keeps its connections), wherever the transport itself is made.
 */
export function smtpTransportOptions(ctx: RuleContext, call: ts.CallExpression): ts.ObjectLiteralExpression | undefined {
  // Asked of every call of every file: without nodemailer in the program, no callee can be its createTransport.
  if (!programNamesModule(ctx.checker, 'nodemailer')) return undefined;
  const o = ctx.resolver.ofBinding(call.expression);
  if (!o || o.instance || o.module !== 'nodemailer' || o.path.join('.') !== 'createTransport') return undefined;
  // A literal, or every literal a project function returns (`createTransport(smtpOptions())`): each must be SMTP.
  const literals = optionLiterals(ctx, call.arguments[0]);
  const parts = literals?.map((opts) => withSpreads(ctx, opts));
  if (!literals || !parts || parts.some((p) => !p)) return undefined;
  // The spreads are among the parts: a key any of them sets is set (or may be: a getter), one none sets is not.
  const smtp = (p: ts.ObjectLiteralExpression[]) => !p.some((o) => [...NOT_SMTP].some((k) => findProp(o, k).prop)) && p.some((o) => findProp(o, 'host').prop || findProp(o, 'service').prop);
  return parts.every((p) => smtp(p!)) ? literals[0] : undefined;
}

/**
 * The options literal and the literals it spreads (`{ ...smtpSettings, connectionTimeout }`, the
 * settings a module of the project exports, or a property of them: `{ ...config.smtp, dkim }`); undefined
 * when a spread is anything else.
 */
function withSpreads(ctx: RuleContext, opts: ts.ObjectLiteralExpression, depth = 0): ts.ObjectLiteralExpression[] | undefined {
  const out = [opts];
  for (const p of opts.properties) {
    if (!ts.isSpreadAssignment(p)) continue;
    // `...smtpSettings`, or a property of the project's settings: `...config.smtp`.
    const name = ts.isIdentifier(p.expression) ? p.expression : ts.isPropertyAccessExpression(p.expression) ? p.expression.name : undefined;
    const decl = name && depth < 3 ? ctx.resolver.targetOf(name)?.declarations?.[0] : undefined;
    const spread = decl && (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl)) ? objectOf(ctx, decl.initializer) : undefined;
    const inner = spread && withSpreads(ctx, spread, depth + 1);
    if (!inner) return undefined;
    out.push(...inner);
  }
  return out;
}

