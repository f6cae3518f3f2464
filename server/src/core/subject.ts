// A subject is one resource instance being followed through one function: where it opens, the
// names that refer to it, and what counts as releasing it.
import { ts } from 'ts-morph';
import { KINDS, KindSpec, releaseMethods, ResourceKind } from './kinds';
import type { Origin } from './origins';

export interface Subject {
  kind: ResourceKind;
  spec: KindSpec;
  /** The function whose paths are explored. */
  fn: ts.SignatureDeclaration & { body?: ts.Node };
  /** The expression whose completion opens the resource; absent when it is open on entry (a parameter). */
  creation?: ts.Expression;
  /**
   * The call that made it, when `creation` is a later call that opens it (`client.get(k)` of a memjs
   * client): a loop around that call alone uses the one client again, it makes no new one.
   */
  made?: ts.Expression;
  /** `creation` is an operation that connects first (ldapts's `bind`): its rejection leaves it connected (CreatorSpec.openerFailsOpen). */
  openerFailsOpen?: boolean;
  /** Methods of it that reject only once its connection has broken (MethodCreatorSpec.failsWhenBroken). */
  failsWhenBroken?: string[];
  /** Where the finding is reported. */
  report: ts.Node;
  /** The variable that first holds it; aliases are added by `collectAliases`. */
  aliases: Set<ts.Symbol>;
  /** Callbacks whose call releases it (`done` of `pool.connect((err, client, done) => …)`). */
  releaseFns: Set<ts.Symbol>;
  /** Error parameters: where one is truthy, the resource was never handed over. */
  errorParams: Set<ts.Symbol>;
  /**
   * The property that holds the body, which counts as the response itself: `body` for fetch and
   * undici, `data` for an axios stream response; undefined when the resource is its own body.
   */
  bodyProperty?: string;
  /** The request a response belongs to: its `destroy()`/`abort()` releases the response too. */
  requests: Set<ts.Symbol>;
  /** Meant to outlive the function (see KindSpec.longLived); also a UDP socket bound to listen. */
  longLived: boolean;
  /** Its methods that return it (CreatorMatch.returnsSelf): `shards.push(shard.connect())` hands it on. */
  returnsSelf?: string[];
  /** A project class's fields that hold its connection (CreatorMatch.fields). */
  fields?: string[];
  /** A project class's getters that say its connection is live (WrapperInfo.liveGetters). */
  liveGetters?: string[];
  /**
   * A server's connection handed to a handler: reading it to its end (`on('data')`, `pipe`, `resume`)
   * also releases it, since the client's close then closes it (allowHalfOpen off).
   */
  accepted?: boolean;
  /** An accepted connection whose server has `allowHalfOpen` off: drained (`resume()`), the client's close closes it. */
  closesWithClient?: boolean;
  /** An accepted connection of a server with `allowHalfOpen: true`: its `'end'` listener must end it (handed.ts). */
  halfOpen?: boolean;
  /**
   * An 'upgrade' socket of a server this file did not make (`app.server.on('upgrade', …)`): other code may
   * listen for upgrades too, so a path that leaves the socket alone before using it leaves it to them.
   */
  sharedUpgrade?: boolean;
  /** Opened for each connection a server accepts: that connection (relays.ts), whose end must close it too. */
  servedPeer?: ts.Identifier;
  /** A function of the code's own that closes a resource it captures (`shutdown()`): it may have run before. */
  capturedBy?: boolean;
  /** Lent by generic-pool (release-call.ts lentByGenericPool): only its pool gives it back, not its own `destroy()`. */
  poolLoan?: boolean;
}

export function makeSubject(
  kind: ResourceKind,
  fn: Subject['fn'],
  report: ts.Node,
  init: Partial<Pick<Subject, 'creation' | 'aliases' | 'releaseFns' | 'errorParams' | 'requests'>> & { fixCall?: string } = {},
): Subject {
  const release = releaseMethods(kind, init.fixCall);
  return {
    kind,
    spec: release === KINDS[kind].release ? KINDS[kind] : { ...KINDS[kind], release },
    fn,
    report,
    creation: init.creation,
    aliases: init.aliases ?? new Set(),
    releaseFns: init.releaseFns ?? new Set(),
    errorParams: init.errorParams ?? new Set(),
    bodyProperty: kind === 'response' ? 'body' : undefined,
    requests: init.requests ?? new Set(),
    longLived: !!KINDS[kind].longLived,
  };
}

/** What the path walker needs to know about the rest of the program. */
export interface FlowOracle {
  symbolOf(node: ts.Node): ts.Symbol | undefined;
  /** Where a binding comes from (the origin resolver's `ofBinding`): `request` of supertest. */
  originOf(expr: ts.Expression): Origin | undefined;
  /** What the project function called here does with argument `index`; undefined: not a project function. */
  releasesParam(call: ts.CallExpression | ts.NewExpression, index: number, subject: Subject): ParamSummary | undefined;
  /** Does the project function called here release the subject it captures, on every path? */
  releasesCaptured(call: ts.CallExpression, subject: Subject): boolean | undefined;
  /** The call runs a synchronous project function that throws on some path of its own (throwing-functions.ts). */
  /** `creation`: the subject's, whose arguments already parsed (`new URL(url)` after `fetch(url)`). */
  throwsWhenCalled(call: ts.CallExpression | ts.NewExpression, creation?: ts.Node): boolean;
  /** The cases of this switch cover every member of its expression's union type. */
  isExhaustive(n: ts.SwitchStatement): boolean;
  /** Throws when the per-file time budget is spent. */
  tick(): void;
}

export interface ParamSummary {
  /**
   * 'releases': releases or keeps it on every path that returns (throwsOpen tells of those that throw);
   * 'borrows': never releases nor keeps it (the caller still owns it); 'partial': releases it on some
   * paths only (the caller still owns it on the others);
   * 'keepsSometimes': stores or hands it on on some paths (the caller cannot tell who owns it afterwards).
   */
  kind: 'releases' | 'borrows' | 'partial' | 'keepsSometimes';
  /** Every path on which the function throws or rejects has released it (`if (!r.ok) throw new Error(await r.text())`). */
  throwsReleased: boolean;
  /**
   * It throws or rejects on some path without releasing it (`ensureOk(res)` throwing on `!res.ok`, an
   * `await` before the close): the caller leaves through that throw.
   */
  throwsOpen?: boolean;
  /**
   * Every path that returns with it still open returns a value, and the others return nothing or a
   * falsy literal having released it (`if (!token) { reject(socket, 401); return null; } … return claims`):
   * where the caller finds the result falsy, it is released.
   */
  releasedWhenFalsy?: boolean;
  /** It only uses it and gives it back (borrowing.ts givesParamBack): borrowed, unless the caller keeps what it returns. */
  givesBack?: boolean;
}

