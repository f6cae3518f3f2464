// The text of the call that releases a discovered resource, as a fix inserts it: it depends on the
// kind, the library (an undici body is a Node stream, a fetch body a web stream) and whether the
// function can `await`.
import { INCOMING_MESSAGE_MODULES } from './catalog';
import { KINDS } from './kinds';
import { CreatorMatch } from './creators';
import { FnLike, isAsyncFunction } from './ast';

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
    return isAsync ? `await ${name}.body?.cancel()` : `void ${name}.body?.cancel()`;
  }
  if (match.kind === 'pool-checkout' && match.label.endsWith('.acquire') && match.receiver) {
    return `${isAsync ? 'await ' : ''}${match.receiver.getText()}.release(${name})`;
  }
  return `${spec.fixAwait && isAsync ? 'await ' : ''}${name}.${match.fixCall ?? spec.fixCall}`;
}
