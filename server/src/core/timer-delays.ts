// How long a timer waits: its delay as a constant the code shows (or a configured value's default), a cron
// pattern, a project helper's timer, or the time to the next clock hour or period boundary. run-rate.ts asks
// whether that is slower than one new connection a second.
import { ts } from 'ts-morph';
import { calleeName, findNode, functionOfDeclaration, skipOuter } from './ast';
import { SyntaxContext } from './context';
import { constValue } from './syntax';

/** Timers that run a callback later or again: `setInterval(probe, 30_000)`. */
export const TIMERS = new Set(['setInterval', 'setTimeout']);
/**
 * Slower than one new connection a second, TIME_WAIT (60 s) holds fewer than 60 entries: no churn. A
 * client made every second (`setInterval(archive, 1000)`) is made again and again, and is reported.
 */
export const RARE_MS = 1000;

/**
 * A constant, or the default of a parameter or of a property of one (`{ minIntervalMs = 15 * 60 * 1000 } = {}`), or the
 * default a configured value falls back to (`const POLL_MS = Number(process.env.POLL_MS ?? 60_000)`).
 */
export function intervalValue(ctx: SyntaxContext, e: ts.Expression | undefined, depth = 0): unknown {
  // `setInterval(poll)` has no delay: the timer runs as often as it can.
  if (!e || depth > 3) return undefined;
  const x = skipOuter(e);
  const decl = ts.isIdentifier(x) ? ctx.resolver.symbolOf(x)?.declarations?.[0] : undefined;
  if (decl && (ts.isParameter(decl) || ts.isBindingElement(decl)) && decl.initializer) return constValue(ctx, decl.initializer);
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && (decl.parent.flags & ts.NodeFlags.Const)) return intervalValue(ctx, decl.initializer, depth + 1);
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && /^(Number|parseInt|parseFloat)$/.test(x.expression.text) && x.arguments[0]) {
    const v = intervalValue(ctx, x.arguments[0], depth + 1);
    return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  }
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return intervalValue(ctx, x.right, depth + 1);
  const value = constValue(ctx, x);
  // `config.paymentSyncMinutes * 60_000`: a count of minutes (or hours) the code does not show, at least one of them.
  if (typeof value !== 'number' && ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const unit = [constValue(ctx, x.left), constValue(ctx, x.right)].find((v): v is number => typeof v === 'number');
    if (unit !== undefined && unit >= MINUTE_MS) return unit;
  }
  return value;
}
const MINUTE_MS = 60_000;

/** Whether `call` is a timer running `callback`, and then whether its constant delay is more than a second. */
export function timerDelay(ctx: SyntaxContext, call: ts.CallExpression, callback: ts.Node): 'rare' | 'fast' | undefined {
  if (isCronJob(call, callback)) return 'rare';
  if (!TIMERS.has(calleeName(call) ?? '')) return helperTimerDelay(ctx, call, callback);
  if (call.arguments[0] !== callback) return undefined;
  const delay = intervalValue(ctx, call.arguments[1]);
  return (typeof delay === 'number' && delay > RARE_MS) || untilClockHour(ctx, call.arguments[1]) || untilNextBoundary(ctx, call.arguments[1]) ? 'rare' : 'fast';
}

/**
 * `every(15 * 60_000, 'watering', () => runWateringCycle())` with `function every(ms, name, job) { return setInterval(() =>
 * job().catch(log), ms) }`: a timer helper of the project, whose timer runs the callback it is given (or calls it) with
 * a delay it is also given, or one of its own.
 */
function helperTimerDelay(ctx: SyntaxContext, call: ts.CallExpression, callback: ts.Node): 'rare' | 'fast' | undefined {
  const index = call.arguments.indexOf(callback as ts.Expression);
  const callee = skipOuter(call.expression);
  const decl = index >= 0 && ts.isIdentifier(callee) ? ctx.resolver.targetOf(callee)?.declarations?.[0] : undefined;
  const fn = decl && !decl.getSourceFile().isDeclarationFile ? functionOfDeclaration(decl) : undefined;
  const job = fn?.parameters[index]?.name;
  if (!fn?.body || !job || !ts.isIdentifier(job)) return undefined;
  const runsJob = (e: ts.Expression) => (ts.isIdentifier(e) && e.text === job.text) ||
    ((ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && !!findNode(e.body, (n) => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === job.text));
  const timer = findNode(fn.body, (n) => ts.isCallExpression(n) && calleeName(n) === 'setInterval' && n.arguments.length >= 2 && runsJob(skipOuter(n.arguments[0]))) as ts.CallExpression | undefined;
  const period = timer && skipOuter(timer.arguments[1]);
  if (!period) return undefined;
  const given = ts.isIdentifier(period) ? fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === period.text) : -1;
  const delay = intervalValue(ctx, given >= 0 ? call.arguments[given] : period);
  return typeof delay === 'number' ? (delay > RARE_MS ? 'rare' : 'fast') : undefined;
}

/**
 * `setTimeout(tick, msUntilNext([6, 14, 22]))`: a delay a function of the project computes by setting a date to a clock
 * hour (`t.setHours(h, 0, 0, 0)`) or to the next day (`next.setUTCDate(next.getUTCDate() + 1)`), the time left until the next
 * shift change or midnight: a few runs a day.
 */
function untilClockHour(ctx: SyntaxContext, delay: ts.Expression | undefined): boolean {
  const e = delay && skipOuter(delay);
  const callee = e && ts.isCallExpression(e) ? skipOuter(e.expression) : undefined;
  const decl = callee && ts.isIdentifier(callee) ? ctx.resolver.targetOf(callee)?.declarations?.[0] : undefined;
  const fn = decl && !decl.getSourceFile().isDeclarationFile ? functionOfDeclaration(decl) : undefined;
  return !!fn?.body && !!findNode(fn.body, (n) => ts.isCallExpression(n) && /^set(UTC)?(Hours|Date)$/.test(calleeName(n) ?? ''));
}

/**
 * `setTimeout(run, next - now)` with `const next = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS + 10 * 60_000`: the time to
 * the next multiple of a period the code rounds the clock to (`Math.floor`/`Math.ceil` of a division by it), a
 * constant longer than a second: at most one run per period.
 */
function untilNextBoundary(ctx: SyntaxContext, delay: ts.Expression | undefined): boolean {
  const e = delay && skipOuter(delay);
  if (!e) return false;
  // The delay itself and the `const`s it reads, one step (`next - now`).
  const parts: ts.Node[] = [e];
  findNode(e, (n) => {
    const d = ts.isIdentifier(n) ? ctx.resolver.symbolOf(n)?.declarations?.[0] : undefined;
    if (d && ts.isVariableDeclaration(d) && d.initializer && (d.parent.flags & ts.NodeFlags.Const)) parts.push(d.initializer);
    return false;
  });
  return parts.some((p) => !!findNode(p, (n) => {
    if (!ts.isCallExpression(n) || !/^Math\.(floor|ceil)$/.test(n.expression.getText()) || !n.arguments[0]) return false;
    const q = skipOuter(n.arguments[0]);
    if (!ts.isBinaryExpression(q) || q.operatorToken.kind !== ts.SyntaxKind.SlashToken) return false;
    const period = intervalValue(ctx, q.right);
    return typeof period === 'number' && period > RARE_MS;
  }));
}

/**
 * A cron job running `callback`, its last argument or the one after the pattern: `cron.schedule('0 3 * * *', fn)`
 * (node-cron, also with options after it: `cron.schedule('5 7,19 * * *', fn, { timezone })`), `schedule.scheduleJob(rule,
 * fn)` (node-schedule), `new Cron(pattern, opts, fn)` (croner), `new CronJob(pattern, fn, onComplete, start)` (cron).
 * Unless its pattern fires every second, that is too slow for TIME_WAIT to pile up.
 */
export function isCronJob(call: ts.CallExpression | ts.NewExpression, callback: ts.Node): boolean {
  const args = call.arguments ?? [];
  if (args.length < 2 || (args[1] !== callback && args[args.length - 1] !== callback)) return false;
  // A pattern with a seconds field that fires every second (`* * * * * *`) is as often as a 1 s interval.
  const pattern = ts.isStringLiteralLike(args[0]) ? args[0].text.trim().split(/\s+/) : undefined;
  if (pattern?.length === 6 && /^\*(\/1)?$/.test(pattern[0])) return false;
  if (ts.isNewExpression(call)) return CRON_CLASSES.has(ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : call.expression.getText());
  // `schedule` alone is too common a name (Bottleneck's `limiter.schedule(opts, fn)` runs at once): a cron pattern says it.
  const name = calleeName(call) ?? '';
  return name === 'scheduleJob' || (name === 'schedule' && (pattern?.length === 5 || pattern?.length === 6));
}

const CRON_CLASSES = new Set(['Cron', 'CronJob']);
