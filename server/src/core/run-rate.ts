// How often a function runs, read from its syntax: a callback of a slow timer (a health probe every
// 30 s), or a function only such code calls, makes too few connections to pile up in TIME_WAIT.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, FnLike, functionName } from './ast';
import { SyntaxContext } from './context';
import { argumentHolder, usesOfName } from './execution';
import { constValue } from './syntax';

/** Timers that run a callback later or again: `setInterval(probe, 30_000)`. */
const TIMERS = new Set(['setInterval', 'setTimeout']);
/** At one new connection a second or less, TIME_WAIT (60 s) holds at most about 60 entries: no churn. */
const RARE_MS = 1000;

/**
 * Code run by a timer at most once a second, such as a health probe every 30 s: the function is the
 * timer's callback, or a function of the file that is only called from such code (or from module
 * level) and handed to nothing else. Too slow for new connections to pile up in TIME_WAIT.
 */
export function runsRarely(ctx: SyntaxContext, fn: FnLike | undefined, depth = 0): boolean {
  if (!fn || depth > 3) return false;
  const sf = fn.getSourceFile();
  let known = RARELY.get(sf);
  if (!known) RARELY.set(sf, (known = new WeakMap()));
  let rarely = known.get(fn);
  if (rarely === undefined) known.set(fn, (rarely = computeRunsRarely(ctx, fn, depth)));
  return rarely;
}

/**
 * Per syntax tree: an edited file parsed incrementally (projects.ts) keeps the nodes of the functions
 * the edit did not touch, but how often they run depends on the rest of the file.
 */
const RARELY = new WeakMap<ts.SourceFile, WeakMap<FnLike, boolean>>();

function computeRunsRarely(ctx: SyntaxContext, fn: FnLike, depth: number): boolean {
  const holder = argumentHolder(fn);
  if (holder) return isRareTimer(ctx, holder, fn);
  const name = functionName(fn);
  if (!name || isExportedFunction(fn)) return false;
  const uses = usesOfName(fn.getSourceFile(), name);
  return uses.length > 0 && uses.every((n) => {
    const p = n.parent;
    if (!ts.isCallExpression(p)) return false;
    if (p.expression !== n) return isRareTimer(ctx, p, n);
    const caller = enclosingFunction(p);
    return caller ? caller !== fn && runsRarely(ctx, caller, depth + 1) : true;
  });
}

/** `setInterval(fn, 30 * 1000)`: `fn` is this timer's callback, with a constant delay of a second or more. */
function isRareTimer(ctx: SyntaxContext, call: ts.CallExpression, callback: ts.Node): boolean {
  if (!TIMERS.has(calleeName(call) ?? '') || call.arguments[0] !== callback) return false;
  const delay = constValue(ctx, call.arguments[1]);
  return typeof delay === 'number' && delay >= RARE_MS;
}

function isExportedFunction(fn: FnLike): boolean {
  const decl = ts.isFunctionDeclaration(fn) ? fn : fn.parent?.parent?.parent;
  return !!decl && ts.canHaveModifiers(decl) && (ts.getCombinedModifierFlags(decl as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}
