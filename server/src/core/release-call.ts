// The text of the call that releases a discovered resource, as a fix inserts it: it depends on the
// kind, the library (an undici body is a Node stream, a fetch body a web stream) and whether the
// function can `await`.
import { INCOMING_MESSAGE_MODULES } from './catalog';
import { KINDS } from './kinds';
import { CreatorMatch } from './creators';
import { FnLike, isAsyncFunction } from './ast';

const UNIVERSAL_FETCH = new Set(['cross-fetch', 'isomorphic-fetch']);

/** The statement that discards the body of `await fetch(…)` written as a statement (`created`: the call's text), and its title. */
export function discardText(match: CreatorMatch, created: string): { text: string; title: string } {
  if (match.viaModule === 'undici') return { text: `await (await ${created}).body.dump()`, title: 'Discard the body with `body.dump()`' };
  if (match.viaModule === 'node-fetch') return { text: `void (await ${created}).body.resume()`, title: 'Discard the body with `body.resume()`' };
  if (UNIVERSAL_FETCH.has(match.viaModule ?? '')) return { text: `await (await ${created}).text()`, title: 'Read the body with `text()`' };
  return { text: `await (await ${created}).body?.cancel()`, title: 'Cancel the unread body with `body?.cancel()`' };
}

export function releaseText(match: CreatorMatch, fn: FnLike, name: string, isBody: boolean | undefined): string {
  const isAsync = isAsyncFunction(fn);
  const spec = KINDS[match.kind];
  if (match.kind === 'response') {
    if (isBody && match.bodyProperty) return `${name}.destroy()`;
    if (isBody) return isAsync ? `await ${name}.dump()` : `${name}.destroy()`;
    if (match.bodyProperty) return `${name}.${match.bodyProperty}.destroy()`;
    if (INCOMING_MESSAGE_MODULES.has(match.viaModule ?? '') || match.viaModule === 'got') return `${name}.${match.viaModule === 'got' ? 'destroy' : 'resume'}()`;
    // An undici body is a Node stream (dump/destroy); a fetch body is a web stream (cancel).
    if (match.viaModule === 'undici' && match.label !== 'undici.fetch') return isAsync ? `await ${name}.body.dump()` : `${name}.body.destroy()`;
    // node-fetch's body is a Node stream too (v1 to v3), without `cancel()`: drained, its socket goes back
    // to the agent. cross-fetch and isomorphic-fetch are node-fetch in Node and the browser's fetch in a
    // page: only the Response's own methods work in both.
    if (match.viaModule === 'node-fetch') return `${name}.body.resume()`;
    // A fetch handed in by the caller answers with the caller's response type, which may have no `body`
    // (@apollo/utils.fetcher's): the Response's own `text()` is common to all of them.
    if (UNIVERSAL_FETCH.has(match.viaModule ?? '') || match.injected) return isAsync ? `await ${name}.text()` : `${name}.text().catch(() => undefined)`;
    return isAsync ? `await ${name}.body?.cancel()` : `void ${name}.body?.cancel()`;
  }
  if (match.kind === 'pool-checkout' && match.label.endsWith('.acquire') && match.receiver) {
    return `${isAsync ? 'await ' : ''}${match.receiver.getText()}.release(${name})`;
  }
  return `${spec.fixAwait && isAsync ? 'await ' : ''}${name}.${match.fixCall ?? spec.fixCall}`;
}
