// What recognising a creator tells about the resource it makes (creators.ts): its kind, where it comes
// from, how it opens and how a fix releases it.
import { ts } from 'ts-morph';
import type { ResourceKind } from './kinds';
import { stripParens } from './ast';
import type { Origin } from './origin';

export interface CreatorMatch {
  kind: ResourceKind;
  /** Index of the callback parameter that receives the resource, when delivered that way. */
  callbackParam?: number;
  /** Where it came from, for messages ("net.connect"). */
  label: string;
  /** The receiver of a method creator (`pool` in `pool.connect()`), for release calls like `pool.release(x)`. */
  receiver?: ts.Expression;
  viaModule?: string;
  /** A fetch the caller may hand in (`options.fetch`, `options.fetcher ?? fetch`): its response's type is the caller's, maybe without `body`. */
  injected?: true;
  /** Overrides the kind's release call in fixes. */
  fixCall?: string;
  /** What a leak costs, when it differs from the kind's. */
  symptom?: string;
  /** The property holding the body (`data` of an axios stream response), when not `body`. */
  bodyProperty?: string;
  /** The resource is this property of the call's result (`acquire().promise`). */
  through?: string;
  /** Nothing is open until one of these methods is called on it (a project class that connects in `connect()`). */
  opensWith?: string[];
  /** Reported at its creation rather than its opening call (MethodCreatorSpec.reportAtCreation). */
  reportAtCreation?: boolean;
  /** A wrapper holding a connection that reconnects (KindSpec.reconnects): its peer's close does not end it. */
  reconnects?: boolean;
  /** Methods that return the resource itself or a promise of it (CreatorSpec.returnsSelf). */
  returnsSelf?: string[];
  /** A server that binds no port until `listen()` is called on it (`http.createServer()`, not `app.listen()`). */
  unbound?: boolean;
  /** Methods that give a server its handlers (CreatorSpec.handlerMethods). */
  handlerMethods?: string[];
  /** CreatorSpec.moduleState: the module object is the handle (`mongoose.connect(uri)` … `mongoose.disconnect()`). */
  moduleState?: true;
  /** A failed opening call leaves it open (CreatorSpec.openerFailsOpen). */
  openerFailsOpen?: string[];
  /** MethodCreatorSpec.failsWhenBroken. */
  failsWhenBroken?: string[];
  /** A project helper's resource it `unref()`s: it does not keep the process (or a test run) alive. */
  unrefd?: boolean;
  /** The callback's first parameter is a result, not an error (MethodCreatorSpec.resultFirst). */
  resultFirst?: boolean;
  /**
   * A handle whose teardown closes a resource it also holds in a property (`return { server, stop() {…} }`):
   * a caller that destructures that property without the teardown (`const { server } = start()`) owns it.
   */
  heldWhenDestructured?: { name: string; match: CreatorMatch };
  /** A project class's fields that hold its connection (WrapperInfo.fields). */
  fields?: string[];
  /** They are pools only, which open a socket at their first query (WrapperInfo.lazy). */
  lazy?: boolean;
  /** They are HTTP agents only (WrapperInfo.agents). */
  agents?: boolean;
  /** They are all connections meant to be made once and shared (WrapperInfo.shared). */
  shared?: boolean;
  /** The class's release method returns a promise (`async stop()`): a fix awaits it where it can. */
  asyncRelease?: boolean;
  /** A wrapper's events that say its connection has ended (WrapperInfo.endedBy). */
  endedBy?: string[];
  /** WrapperInfo.liveGetters. */
  liveGetters?: string[];
  /** The call inside a promise's executor that makes what the promise resolves to (promised.ts). */
  madeAt?: ts.Node;
}

/**
 * `pool.connect()`, `MongoClient.connect(url)` given no callback: the promise form of a creator that also
 * takes one, which resolves to the resource.
 */
export function promiseForm(call: ts.CallExpression | ts.NewExpression, m: CreatorMatch): boolean {
  return PROMISE_FORM_KINDS.has(m.kind) && !(call.arguments ?? []).some((a) => ts.isFunctionLike(stripParens(a)));
}

/** Kinds whose creators that take a callback return a promise of the resource without one. */
export const PROMISE_FORM_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['pool-checkout', 'mongo-client']);

/** Through a `.connect()` the field gets the resource only where connect() resolves to it (CreatorSpec.returnsSelf). */
export function keepsResource(value: ts.Expression, call: ts.Node, match: CreatorMatch): boolean {
  let through = false;
  for (let n: ts.Node = call; n !== value && n.parent; n = n.parent) {
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && n.parent.name.text === 'connect') through = true;
  }
  return !through || !!match.returnsSelf?.includes('connect');
}

/** `mysql2/promise` is in the package `mysql2`. */
export function packageOf(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The origin is what a catalog receiver (`'pg:Pool'`) names: that module, the last name of its path. */
export function receiverMatches(o: Origin, receiver: string): boolean {
  const [module, name] = receiver.split(':');
  if (o.module !== module) return false;
  const last = o.path.length ? o.path[o.path.length - 1] : '';
  return last === name;
}

/** How a message names the origin: `pg.Pool`, `fetch`. */
export function labelOf(o: Origin): string {
  const mod = o.module === 'global' ? '' : o.module;
  const path = o.path.join('.');
  return mod && path ? `${mod}.${path}` : mod || path;
}

/** The checker's type for what it cannot resolve (a module that is not installed). */
export function isErrorType(t: ts.Type): boolean {
  return (t as unknown as { intrinsicName?: string }).intrinsicName === 'error';
}
