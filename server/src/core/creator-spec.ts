// What a catalog entry (catalog.ts CREATORS) says about a creator: how it is reached from its module, what
// it makes, and what opens, closes or lends it.

import type { ResourceKind } from './kinds';

/** How a creator is reached from its module. */
export interface CreatorSpec {
  modules: string[];
  /** Export paths from the module namespace, e.g. `['connect']`, `['default']`, `[]` (the module itself). */
  names: string[];
  via: 'call' | 'new' | 'any';
  kind: ResourceKind;
  /** For a resource delivered to a callback: index of the callback parameter that holds it. */
  callbackParam?: number;
  /** The `then`-able result of the call resolves to the resource (fetch, mysql2/promise). */
  promise?: boolean;
  /** The release a fix inserts, when this creator's object differs from its kind (`clear()` for generic-pool, kinds.ts RELEASED_ONLY_BY). */
  fixCall?: string;
  /** What a leak costs, when it differs from the kind's (undici bodies). */
  symptom?: string;
  /**
   * The object holds connections only when its options literal sets this option to `true`: an
   * `http.Agent` without `keepAlive: true` destroys each socket after its response (`lib/_http_agent.js`),
   * so dropping it leaks nothing.
   */
  holdsOnlyWith?: string;
  /**
   * Made for a batch of its own, it is the documented use even per request: nodemailer's `pool: true` "is useful when
   * you have a large number of messages that you want to send in batches" (a mailing from an admin route).
   */
  madeForBatches?: boolean;
  /** It holds a connection only when this option is set to `false` (graphql-ws's `lazy: false`). */
  holdsOnlyWithout?: string;
  /**
   * The object holds connections only when its options literal names one of these: knex sets up its
   * driver and pool only with `connection` (`lib/client.js`); `Knex({ client: 'pg' })` builds queries only.
   */
  holdsOnlyNaming?: string[];
  /** A creator only with this option in its arguments (`responseType: 'stream'` for axios). */
  onlyWithOption?: [string, string];
  /**
   * No creator when its options literal names one of these: a ws `WebSocketServer` given `server` (or
   * `noServer`) only listens for upgrades on a server it does not own, and its `close()` closes neither
   * that server nor the clients (lib/websocket-server.js).
   */
  notWithOptions?: string[];
  /**
   * Methods whose result is the object itself or a promise of it, so that a chain through them keeps
   * the resource: `new MongoClient(u).connect()` (`Promise<this>`), node-redis `createClient().connect()`,
   * `new net.Socket().connect()`. pg's and ioredis's `connect()` resolve to nothing: not listed there.
   */
  returnsSelf?: string[];
  /** The property of the result that holds the body, when not `body` (`data` for axios). */
  bodyProperty?: string;
  /**
   * It opens the module's own default connection (`mongoose.connect(url)`): the module object is the handle, closed by
   * its `fixCall` (`mongoose.disconnect()`), one per process (subjects.ts: long-lived, not followed in tests).
   */
  moduleState?: true;
  /** The resource is this property of the (awaited) result: `socket` of `undici.connect()`. */
  through?: string;
  /**
   * A dispatcher bound to the one origin its first argument names (undici `Client`, `Pool`): one made
   * per origin in a loop over origins could not have been shared.
   */
  originBound?: boolean;
  /** The connections are those of the dispatcher it wraps (undici `RetryAgent`): making one opens none. */
  wrapsDispatcher?: boolean;
  /** Nothing is open until one of these methods is called on it (node-redis v4+: `createClient()` then `connect()`). */
  opensWith?: string[];
  /** Options that make it open as it is made after all (`new net.Socket({ fd })` wraps a descriptor that is open already). */
  openAtOnceWith?: string[];
  /**
   * No creator when this option is given an existing client rather than an options literal: a BullMQ
   * `Queue` given `connection: redis` uses that client, which its `close()` leaves open.
   */
  reusesClientIn?: string;
  /**
   * Given an existing client in this option, it uses it and leaves it open, but still opens a connection
   * of its own (a BullMQ `Worker` duplicates the client for its blocking fetch): still a creator.
   */
  borrowsClientIn?: string;
  /** Nothing is opened when it is called without arguments (mongoose `createConnection()` waits for `openUri()`). */
  needsArgument?: boolean;
  /** No connection (a database in a file) when a string argument or the options' `dialect` matches: `new Sequelize('sqlite::memory:')`. */
  localWith?: RegExp;
  /** A server given its handlers by these methods (ldapjs `server.search(base, handler)`), not by a listener. */
  handlerMethods?: string[];
  /**
   * Opening calls that connect and then do more: one that fails after connecting (ldapts's `bind` refused,
   * basic-ftp's `access()` whose login is refused) leaves it connected.
   */
  openerFailsOpen?: string[];
  /** Made and ended per request in an edge function by design (`export const runtime = 'edge'`): no churn there. */
  perRequestAtTheEdge?: boolean;
}
