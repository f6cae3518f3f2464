// The "release before each leaking exit" fix: `if (skip) return;` → `if (skip) { s.destroy(); return; }`,
// and the release as the last statement where the function (or a loop body) falls off its end.
//
// Preconditions, checked on the syntax tree; a fix that fails one is not offered:
//   exits      every leaking exit is a `return`, `throw` or `continue` statement, the end of a block,
//              or an arrow function's expression body (made a block: `=> { s.destroy(); return x; }`);
//              a rejecting `await`, a reassignment or a dropped value needs another fix;
//   once       no path reaches an exit with the resource already released (a second release may throw);
//   unused     the exit's own expression does not use the resource (it would run after the release),
//              and no `finally` around the exit uses it;
//   in scope   a `let`/`const` variable is in scope at each insertion point (no temporal dead zone);
//   assigned   the variable certainly holds the resource there, or the release is guarded
//              (`s?.destroy()`, `if (c) pool.release(c)`); a typed variable without `undefined` in its
//              type that may be unassigned is refused (TypeScript rejects any read of it);
//   closures   no closure that uses the resource or releases it could still run after the insertion
//              point, unless the code itself releases it at the end of its block (the closures then
//              already meet a released resource on the normal path). Closures that run before the
//              function goes on (`forEach` callbacks, code inside an awaited promise) are fine.
// A fix that passes all of them is safe (offered by fix-all), unless the release is an abrupt one
// (`destroy()`) inserted after the code wrote to the resource: it discards writes still queued
// (`socket.write('HTTP/1.1 407 …'); return;`), so that fix is for review; so is one that closes a
// connection a server's handler never uses (it may hold it open on purpose).

import { ts } from 'ts-morph';
import { LeakExit } from './flow';
import { LeakReport } from './leaks';
import {
  ABRUPT_RELEASE, closuresUsing, closureTiming, containsRelease, declaredWithoutUndefined, definitelyAssigned, refersTo, variableDeclarationOf, writesTo,
} from './fix-syntax';
import { endsWithOwnRelease } from './fix-try-finally';
import { insertAtBlockEnd, insertBefore } from './fix-text';
import { edit, eol } from './text';
import { Fix, TextEdit } from './types';

export function beforeExitsFix(report: LeakReport, file: string, call: string): (Omit<Fix, 'title'> & { review?: string }) | undefined {
  const sf = report.subject.fn.getSourceFile();
  const body = report.subject.fn.body;
  if (!body) return undefined;
  // Handed to other code on some path and never released: a release here would make the function the
  // owner again, and the paths that hand it over would then leak (documented: "a function that closes
  // the resource itself somewhere keeps ownership").
  if (report.sawEscape && !report.sawRelease) return undefined;
  const nl = eol(sf);
  const aliases = report.subject.aliases;
  const closures = closuresUsing(body, aliases);
  if (closures.some((c) => containsRelease(c, report))) return undefined; // it would release a second time
  const releasedAtEnd = !!report.declaration && endsWithOwnRelease(report);
  const edits: TextEdit[] = [];
  let dropsWrites = false;
  const assigned = definitelyAssigned(report);
  for (const exit of report.exits) {
    const at = insertionPoint(exit);
    if (at === undefined || exit.mixed) return undefined;
    const guarded = guardFor(report, at, assigned);
    if (guarded === undefined) return undefined;
    const text = guarded ? guardedCall(call, report.resourceName ?? '') : call;
    if (!text) return undefined;
    if (ABRUPT_RELEASE.test(call) && writesTo(report, at)) dropsWrites = true;
    const pending = closures.filter((c) => c.getStart(sf) < at && !(at >= c.pos && at <= c.end));
    if (!releasedAtEnd && pending.some((c) => closureTiming(c, report) !== 'during')) return undefined;
    if (finallyUses(exit.node, report)) return undefined;
    const n = exit.node;
    if (exit.kind === 'return' && !ts.isStatement(n) && ts.isArrowFunction(n.parent) && n.parent.body === n) {
      if (refersTo(n, aliases)) return undefined;
      const expr = n as ts.Expression;
      const value = ts.isObjectLiteralExpression(expr) ? `(${expr.getText(sf)})` : expr.getText(sf);
      edits.push(edit(sf, file, n.getStart(sf), n.getEnd(), `{ ${text}; return ${value}; }`));
    } else if (exit.kind === 'return' || exit.kind === 'throw' || (exit.kind === 'loop' && ts.isContinueStatement(n)) || exit.kind === 'breaks') {
      if (!ts.isStatement(n)) return undefined;
      if (exit.kind !== 'loop' && exit.kind !== 'breaks' && usedByExit(n, report)) return undefined;
      edits.push(insertBefore(sf, file, n, text, nl));
    } else if ((exit.kind === 'end' || exit.kind === 'loop') && ts.isBlock(n)) {
      edits.push(insertAtBlockEnd(sf, file, n, text, nl));
    } else {
      return undefined;
    }
  }
  if (!edits.length) return undefined;
  // `net.createServer((socket) => {})`: a handler that never touches the connection may hold it on purpose
  // (a test's server that never answers); closing it at once changes what the peer sees.
  if (report.subject.accepted && !refersTo(body, aliases)) return { safe: false, edits, review: 'the handler never uses the connection, and may hold it open on purpose' };
  return dropsWrites ? { safe: false, edits, review: 'it drops what is still queued for writing; `end()` may be meant' } : { safe: true, edits };
}

function insertionPoint(exit: LeakExit): number | undefined {
  const n = exit.node;
  if ((exit.kind === 'end' || exit.kind === 'loop') && ts.isBlock(n)) return n.getEnd() - 1;
  if (exit.kind === 'return' || exit.kind === 'throw' || exit.kind === 'loop' || exit.kind === 'breaks') return n.getStart();
  return undefined;
}

/**
 * false: the variable certainly holds the resource at `at`; true: it may be unassigned there, so the
 * release must be guarded; undefined: it cannot be referenced there at all.
 */
function guardFor(report: LeakReport, at: number, assigned: boolean): boolean | undefined {
  const decl = variableDeclarationOf(report);
  if (!decl) return assigned ? false : declaredWithoutUndefined(report) ? undefined : true;
  const list = decl.parent as ts.VariableDeclarationList;
  const stmt = ts.isVariableStatement(list.parent) ? list.parent : undefined;
  const holder = stmt ? stmt.parent : list.parent;
  // let/const: in scope only inside their block (a `switch` case: only in that case), past the declaration.
  if ((list.flags & ts.NodeFlags.BlockScoped) && (at < decl.end || at > holder.end)) return undefined;
  if (stmt && assigned && at >= stmt.end && at <= holder.end) return false;
  return declaredWithoutUndefined(report) ? undefined : true;
}

/** `s.destroy()` → `s?.destroy()`; `pool.release(c)` → `if (c) pool.release(c)`. */
function guardedCall(call: string, name: string): string | undefined {
  if (!name) return undefined;
  const m = /^((?:await |void )?)([A-Za-z_$][\w$]*)\.(.*)$/.exec(call);
  if (m && m[2] === name) return `${m[1]}${name}?.${m[3].replace(/^\?\./, '')}`;
  return `if (${name}) ${call}`;
}

/** A `finally` around the exit that uses the resource would run after the inserted release. */
function finallyUses(n: ts.Node, report: LeakReport): boolean {
  for (let p: ts.Node = n; p && p !== report.subject.fn; p = p.parent) {
    const t = p.parent;
    if (t && ts.isTryStatement(t) && t.finallyBlock && p !== t.finallyBlock && refersTo(t.finallyBlock, report.subject.aliases)) return true;
  }
  return false;
}

/** Reading a response's status or headers after cancelling its body is fine; anything else is not. */
const RESPONSE_FIELDS = new Set(['status', 'statusText', 'ok', 'headers', 'url', 'statusCode', 'statusMessage', 'redirected', 'type']);

function usedByExit(n: ts.Node, report: LeakReport): boolean {
  const names = new Set([...report.subject.aliases].map((s) => s.getName()));
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(x) && names.has(x.text) && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x)) {
      const p = x.parent;
      const harmless = report.subject.kind === 'response' && ts.isPropertyAccessExpression(p) && p.expression === x &&
        RESPONSE_FIELDS.has(p.name.text) && !(ts.isCallExpression(p.parent) && p.parent.expression === p);
      if (!harmless) found = true;
    } else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

