// A helper that returns the body of a response it has just made (`const { body } = await request(u); return body`,
// `return res.body` of a fetch, axios' `return res.data` with `responseType: 'stream'`) hands its caller that body,
// the caller's to read or cancel, as a helper returning the response would (creators.ts returnsResource).
import { ts } from 'ts-morph';
import { skipOuter, stripParens, within } from './ast';
import { creationUnder } from './call-shapes';
import type { CreatorMatch } from './creator-match';

/** The creation of the response whose body `x` (a value `fn` returns) is, with its match; undefined for anything else. */
export function returnedBody(x: ts.Expression, fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined,
    match: (n: ts.CallExpression | ts.NewExpression) => CreatorMatch | undefined): { call: ts.CallExpression | ts.NewExpression; match: CreatorMatch } | undefined {
  let key: string | undefined;
  let holder: ts.Node | undefined;
  if (ts.isPropertyAccessExpression(x) && ts.isIdentifier(stripParens(x.expression))) {
    // `return res.body`: `res` a local set to the response.
    key = x.name.text;
    holder = symbolOf(stripParens(x.expression))?.valueDeclaration;
    if (holder && (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name))) return undefined;
  } else if (ts.isIdentifier(x)) {
    // `return body` of `const { body } = await request(u)`.
    const el = symbolOf(x)?.valueDeclaration;
    if (!el || !ts.isBindingElement(el) || !ts.isObjectBindingPattern(el.parent) || el.dotDotDotToken) return undefined;
    const name = el.propertyName ?? el.name;
    key = ts.isIdentifier(name) ? name.text : undefined;
    holder = el.parent.parent;
  }
  if (!key || !holder || !ts.isVariableDeclaration(holder) || !holder.initializer || !within(holder, fn)) return undefined;
  const call = creationUnder(skipOuter(holder.initializer));
  const m = call && match(call);
  return call && m && m.kind === 'response' && m.callbackParam === undefined && key === (m.bodyProperty ?? 'body') ? { call, match: m } : undefined;
}

/** What ends such a body unread: a fetch's web stream is cancelled; a Node stream (undici's, axios', node-fetch's) destroyed. */
export function bodyEnd(m: CreatorMatch): string {
  return /fetch$/.test(m.label) && m.viaModule !== 'node-fetch' ? 'cancel()' : 'destroy()';
}
