// The text of the call that releases a discovered resource, as a fix inserts it: it depends on the
// kind, the library (an undici body is a Node stream, a fetch body a web stream) and whether the
// function can `await`.
import { INCOMING_MESSAGE_MODULES, STREAM_RESPONSE_MODULES } from './catalog';
import { KINDS } from './kinds';
import { CreatorMatch } from './creators';
import { FnLike, isAsyncFunction } from './ast';

const UNIVERSAL_FETCH = new Set(['cross-fetch', 'isomorphic-fetch']);

/**
 * The statement that discards the response of `await fetch(…)` written as a statement (`created`: the
 * call's text), and its title: the release below, on the awaited value (`void` first where it would
 * start with `(`, which a file without semicolons joins to the line before it).
 */
export function discardText(match: CreatorMatch, created: string): { text: string; title: string } {
  const name = `(await ${created})`;
  // A project helper may resolve to null on some paths (`return null` on a 404): it is asked with `?.`.
  const release = responseRelease(match, name, true, false).replace(`${name}.`, match.label.endsWith('()') ? `${name}?.` : `${name}.`);
  const call = release.slice(release.indexOf(name) + name.length).replace(/^\??\./, '');
  const title = call === 'body?.cancel()' ? 'Cancel the unread body with `body?.cancel()`' : call === 'text()' ? 'Read the body with `text()`' : `Discard the body with \`${call}\``;
  return { text: release.startsWith('(') ? `void ${release}` : release, title };
}

/**
 * What generic-pool (or tarn) lends with `pool.acquire()` is the project's own object, a socket say: it goes back only
 * through its pool (`pool.release(sock)`, `pool.destroy(sock)`). Its own `destroy()` closes it and keeps the loan out.
 */
export function lentByGenericPool(match: CreatorMatch): boolean {
  return match.kind === 'pool-checkout' && match.label.endsWith('.acquire') && !!match.receiver;
}

export function releaseText(match: CreatorMatch, fn: FnLike, name: string, isBody: boolean | undefined): string {
  const isAsync = isAsyncFunction(fn);
  const spec = KINDS[match.kind];
  if (match.kind === 'response') return responseRelease(match, name, isAsync, isBody);
  if (lentByGenericPool(match)) {
    return `${isAsync ? 'await ' : ''}${match.receiver!.getText()}.release(${name})`;
  }
  return `${(spec.fixAwait || match.asyncRelease) && isAsync ? 'await ' : ''}${name}.${match.fixCall ?? spec.fixCall}`;
}

/** What reads or discards a response (`name`), by its library: an undici body is a Node stream, a fetch body a web stream. */
function responseRelease(match: CreatorMatch, name: string, isAsync: boolean, isBody: boolean | undefined): string {
  // An S3 object's `Body` is typed as a union of Node, web and Blob streams, optional: the SDK's own
  // mixin is what they share, and cancelling its web stream destroys the response under it.
  // The catalog names the call that ends it (an HTTP/2 stream's or a ClickHouse ResultSet's `close()`).
  if (match.fixCall && !isBody) return `${name}.${match.fixCall}`;
  if (match.viaModule === '@aws-sdk/client-s3') return `${isAsync ? 'await' : 'void'} ${isBody ? name : `${name}.${match.bodyProperty}`}?.transformToWebStream().cancel()`;
  if (isBody && match.bodyProperty) return `${name}.destroy()`;
  if (isBody) return isAsync ? `await ${name}.dump()` : `${name}.destroy()`;
  if (match.bodyProperty) return `${name}.${match.bodyProperty}.destroy()`;
  if (STREAM_RESPONSE_MODULES.has(match.viaModule ?? '')) return `${name}.destroy()`;
  if (INCOMING_MESSAGE_MODULES.has(match.viaModule ?? '')) return `${name}.resume()`;
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
