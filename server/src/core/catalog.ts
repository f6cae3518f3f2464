// The resource catalog: which calls create a connection-holding object, what kind of object it is,
// and which operations release it. Data only; the facts behind each entry are in
// docs/rules/*.md and ../shared/reference/node-socket-semantics.md §7.

export type ResourceKind =
  | 'socket'
  | 'udp-socket'
  | 'server'
  | 'http2-session'
  | 'websocket'
  | 'agent'
  | 'db-client'
  | 'pool'
  | 'redis-client'
  | 'mongo-client'
  | 'amqp-connection'
  | 'amqp-channel'
  | 'broker-client'
  | 'mongo-session'
  | 'sio-client'
  | 'mqtt-client'
  | 'ldap-client'
  | 'event-source'
  | 'nats-connection'
  | 'response'
  | 'pool-checkout'
  | 'wrapper';

/**
 * One client connection (or session) of its own, which the code that makes it must close: checked in
 * promise executors (settled-promises.ts), class fields (fields.ts) and test hooks (hooks.ts). A new
 * kind of client belongs here; servers, pools, responses and checkouts have rules of their own.
 */
export const CONNECTION_KINDS = new Set<ResourceKind>([
  'socket', 'websocket', 'udp-socket', 'http2-session', 'sio-client', 'mqtt-client', 'ldap-client', 'redis-client', 'db-client',
  'mongo-client', 'amqp-connection', 'broker-client', 'event-source', 'nats-connection',
]);

/**
 * Kinds meant to be made once and shared: a pool, or one multiplexed connection to Redis, MongoDB, an
 * AMQP broker or an HTTP/2 origin. One made and closed per call is connection churn (each call pays
 * the handshakes again); a database connection per call is common and often fine, so it is not here.
 */
export const SHARED_KINDS = new Set<ResourceKind>(['pool', 'redis-client', 'mongo-client', 'amqp-connection', 'http2-session', 'mqtt-client', 'nats-connection']);
/**
 * A database connection of its own (`new pg.Client()`, `mysql.createConnection()`) is made per call
 * on purpose often enough (a serverless handler, a migration step): only one made again on every
 * iteration of a loop is churn, where one made before the loop would do.
 */
export const SHARED_IN_LOOPS_KINDS = new Set<ResourceKind>(['db-client']);
/** `kafka.producer()`: one producer per process is the kafkajs way; one per call connects to the brokers again each time. */
export const SHARED_CLIENT_METHODS: Partial<Record<ResourceKind, string>> = { 'broker-client': 'producer' };

export type LeakRuleId = 'unclosed-connection' | 'unconsumed-response' | 'unreleased-pool-connection';

export interface KindSpec {
  rule: LeakRuleId;
  /** Noun used in messages ("socket", "HTTP response"). */
  noun: string;
  /** Methods on the resource (or, for responses, on its `body`) that release it. */
  release: string[];
  /** The call a quick fix inserts, without receiver. */
  fixCall: string;
  /** Whether the fix call returns a Promise that should be awaited in async code. */
  fixAwait?: boolean;
  /**
   * `await using` closes it cleanly (its async dispose is a plain close), so a fix may offer it.
   * Sockets and responses are disposable too, but their dispose destroys the stream with an
   * AbortError, which is no clean close: false for them.
   */
  disposable: false | 'sync' | 'async';
  /**
   * Meant to outlive the function that makes it (a listening server, a shared pool): reported only
   * when the function closes it on some paths and not on others.
   */
  longLived?: boolean;
  /**
   * Events emitted once the connection is already closed, whoever closed it. Code that waits for one
   * (`s.on('close', done)`, `await once(ws, 'close')`) relies on the peer closing, and on that path
   * nothing is left open. A socket's `'end'` counts unless it was made with `allowHalfOpen: true`:
   * Node ends the writable side itself after `'end'` (node-socket-semantics.md §4).
   */
  closedBy?: string[];
  /** It reconnects after an 'error' (WHATWG EventSource "reestablish the connection"): only the release ends it. */
  reconnectsAfterError?: boolean;
  /** It makes a new connection when its connection drops, until its release: a peer that closes it does not end it. */
  reconnects?: boolean;
  /** What production shows when this leaks: a sentence. */
  symptom: string;
}

export const KINDS: Record<ResourceKind, KindSpec> = {
  socket: {
    rule: 'unclosed-connection', noun: 'socket',
    release: ['end', 'destroy', 'destroySoon', 'resetAndDestroy'], fixCall: 'destroy()', disposable: false,
    closedBy: ['close', 'end'],
    symptom: 'The socket stays open, in CLOSE_WAIT once the peer closes, until the process runs out of file descriptors (EMFILE).',
  },
  'udp-socket': {
    rule: 'unclosed-connection', noun: 'UDP socket', release: ['close'], fixCall: 'close()', disposable: 'async',
    symptom: 'The bound UDP port stays taken and its file descriptor leaks (EADDRINUSE on the next bind, EMFILE under load).',
  },
  server: {
    rule: 'unclosed-connection', noun: 'server', release: ['close', 'closeAllConnections'], fixCall: 'close()',
    disposable: 'async', longLived: true,
    symptom: 'The port stays bound and accepted connections stay open: EADDRINUSE on the next start, and a process (or test run) that never exits.',
  },
  'http2-session': {
    rule: 'unclosed-connection', noun: 'HTTP/2 session', release: ['close', 'destroy'], fixCall: 'close()',
    disposable: false, closedBy: ['close'],
    symptom: 'The session keeps its TCP connection and the process alive, in CLOSE_WAIT once the peer goes away.',
  },
  websocket: {
    rule: 'unclosed-connection', noun: 'WebSocket', release: ['close', 'terminate'], fixCall: 'close()',
    disposable: false, closedBy: ['close'],
    symptom: 'The WebSocket keeps its TCP connection open, in CLOSE_WAIT once the peer goes away.',
  },
  agent: {
    rule: 'unclosed-connection', noun: 'connection pool (agent/dispatcher)', release: ['destroy', 'close'],
    fixCall: 'destroy()', disposable: false,
    symptom: 'Its idle keep-alive sockets stay open until they time out, and every call that makes one adds a pool.',
  },
  'db-client': {
    rule: 'unclosed-connection', noun: 'database connection', release: ['end', 'destroy', 'close'],
    fixCall: 'end()', fixAwait: true, disposable: false,
    symptom: 'The database connection stays open until the server refuses new ones (max_connections).',
  },
  pool: {
    rule: 'unclosed-connection', noun: 'connection pool', release: ['end', 'close', 'destroy', 'drain', 'clear'],
    fixCall: 'end()', fixAwait: true, disposable: false, longLived: true,
    symptom: 'Every connection of the pool stays open, and so does the process.',
  },
  'redis-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'Redis connection',
    release: ['quit', 'disconnect', 'close', 'destroy', 'end'], fixCall: 'quit()', fixAwait: true, disposable: false,
    symptom: 'The Redis connection stays open and reconnects forever.',
  },
  'mongo-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'MongoDB client', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: 'async',
    symptom: 'Its connection pool stays open: connections pile up on the server and the process never exits.',
  },
  'amqp-connection': {
    rule: 'unclosed-connection', noun: 'AMQP connection', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: false,
    symptom: 'The broker connection stays open, in CLOSE_WAIT when the broker goes away.',
  },
  'amqp-channel': {
    rule: 'unclosed-connection', noun: 'AMQP channel', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: false,
    symptom: 'The channel stays open on its connection, with its unacknowledged messages; channels pile up until the broker refuses new ones (channel_max).',
  },
  'broker-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'Kafka client', release: ['disconnect'], fixCall: 'disconnect()', fixAwait: true,
    disposable: false,
    symptom: 'Its broker connections stay open (a consumer also keeps its group membership until the session times out).',
  },
  'mongo-session': {
    rule: 'unclosed-connection', noun: 'MongoDB session', release: ['endSession'], fixCall: 'endSession()', fixAwait: true,
    disposable: false,
    symptom: "Its server session is never returned to the driver's pool (behind a load balancer, with the connection a transaction pinned); the server keeps it until it times out after 30 minutes.",
  },
  'sio-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'Socket.IO client', release: ['disconnect', 'close'],
    fixCall: 'disconnect()', disposable: false,
    symptom: 'The client keeps its connection open and, unless made with `reconnection: false`, reconnects whenever it drops.',
  },
  // MQTT.js: `mqtt.connect()` connects at once and reconnects every `reconnectPeriod` (1 s) until
  // `end()` (`endAsync()` in v5); `reconnectPeriod: 0` only stops the reconnects.
  'mqtt-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'MQTT client', release: ['end', 'endAsync'], fixCall: 'end()', disposable: false,
    symptom: 'The client keeps its broker connection open and, unless made with `reconnectPeriod: 0`, reconnects whenever it drops, until `end()`.',
  },
  // ldapjs: `createClient()` connects at once and holds the connection until `unbind()` (which asks
  // the server to close it) or `destroy()`; a failed search or bind leaves it connected.
  'ldap-client': {
    rule: 'unclosed-connection', noun: 'LDAP client', release: ['unbind', 'destroy'], fixCall: 'unbind()', disposable: false,
    symptom: 'Its connection to the directory server stays open (one per login attempt that takes this path).',
  },
  // The eventsource package (WHATWG EventSource for Node): the stream stays open and is reconnected
  // whenever it drops (`retry`), until `close()`; an 'error' event is a reconnect, not an end.
  'event-source': {
    rule: 'unclosed-connection', reconnects: true, noun: 'EventSource', release: ['close'], fixCall: 'close()', disposable: false, reconnectsAfterError: true,
    symptom: 'The server-sent-event stream keeps its HTTP connection open and is reconnected whenever it drops, until `close()`.',
  },
  // nats.js: `connect()` resolves to a connection that reconnects (`maxReconnectAttempts`, 10 by
  // default, -1 for ever) until `close()`, or `drain()`, which closes it once pending messages are done.
  'nats-connection': {
    rule: 'unclosed-connection', reconnects: true, noun: 'NATS connection', release: ['close', 'drain'], fixCall: 'close()', fixAwait: true,
    disposable: false,
    symptom: 'The connection to the NATS server stays open with its subscriptions, and is reconnected when it drops, until `close()` or `drain()`.',
  },
  wrapper: {
    rule: 'unclosed-connection', noun: 'connection-owning object',
    // A project class's own release method; `stop`/`shutdown` last (a service's, when it has no `close`).
    release: ['close', 'end', 'destroy', 'dispose', 'disconnect', 'quit', 'terminate', 'stop', 'shutdown'], fixCall: 'close()',
    disposable: false,
    symptom: 'The connection it owns stays open.',
  },
  response: {
    rule: 'unconsumed-response', noun: 'HTTP response',
    release: [
      'text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData', 'cancel', 'dump', 'destroy', 'resume', 'pipe',
      'pipeTo', 'pipeThrough', 'getReader', 'read', 'abort', 'tee',
    ],
    fixCall: 'resume()', disposable: false,
    // A small body is buffered whole and the server's FIN still destroys the socket (socketOnEnd); a larger
    // one stops the socket being read (parserOnBody → readStop), so the FIN stays unread: CLOSE_WAIT.
    symptom: 'Its socket never goes back to the agent (with `maxSockets`, later requests wait for it); a body larger than the stream\'s buffer also stops the socket being read, and it sits in CLOSE_WAIT once the server closes it.',
  },
  'pool-checkout': {
    rule: 'unreleased-pool-connection', noun: 'pooled connection', release: ['release', 'destroy', 'end'],
    fixCall: 'release()', disposable: false,
    symptom: 'The connection never goes back to the pool; once the pool is empty, every later query waits forever.',
  },
};

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
  /** The release a fix inserts, when this creator's object differs from its kind (`drain()` for generic-pool). */
  fixCall?: string;
  /** What a leak costs, when it differs from the kind's (undici bodies). */
  symptom?: string;
  /**
   * The object holds connections only when its options literal sets this option to `true`: an
   * `http.Agent` without `keepAlive: true` destroys each socket after its response (`lib/_http_agent.js`),
   * so dropping it leaks nothing.
   */
  holdsOnlyWith?: string;
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
  /**
   * No creator when this option is given an existing client rather than an options literal: a BullMQ
   * `Queue` given `connection: redis` uses that client, which its `close()` leaves open.
   */
  reusesClientIn?: string;
}

/** A method called on an instance (of a creator or of a declared type) that checks out or creates. */
export interface MethodCreatorSpec {
  /** The receiver: instance of one of these `module:Name` (creator or declared type names). */
  receivers: string[];
  methods: string[];
  kind: ResourceKind;
  callbackParam?: number;
  /** What a leak costs, when it differs from the kind's. */
  symptom?: string;
  /** The resource is this property of the call's result (`acquire().promise` in tarn). */
  through?: string;
  /**
   * Receivers whose name matches this pattern count when nothing says what they are, but only in a
   * file that loads one of the receivers' modules: a `pool` of type `any` elsewhere may be anything.
   */
  receiverNamePattern?: RegExp;
  /** Nothing is open until one of these methods is called on the result (kafkajs `producer()` then `connect()`). */
  opensWith?: string[];
  /** A creator only with this option in its arguments (`responseType: 'stream'` on an axios instance). */
  onlyWithOption?: [string, string];
  /** The property of the result that holds the body, when not `body` (`data` for axios). */
  bodyProperty?: string;
  /** A listener registration (`on`/`once`): the event whose listener receives the resource. */
  event?: string;
  /** The callback's first parameter is a result (the CONNECT response), not an error. */
  resultFirst?: boolean;
}

/**
 * undici (global `fetch`, `undici.request`) reads a small body into memory and frees the connection
 * anyway; a body larger than its buffer (64 KiB) pauses the parser and holds the connection, and
 * `bodyTimeout` does not fire while paused (node-socket-semantics.md §5). Either way undici's rule is
 * to consume or cancel every body; garbage collection cancels it only eventually.
 */
/**
 * The methods that release a resource of `kind`; for a project class, also its own release method when
 * its name is its own (`handleShutdown()`: CreatorMatch.fixCall).
 */
export function releaseMethods(kind: ResourceKind, fixCall?: string): string[] {
  const own = kind === 'wrapper' && fixCall ? fixCall.replace(/\(\)$/, '') : undefined;
  return own && !KINDS.wrapper.release.includes(own) ? [...KINDS.wrapper.release, own] : KINDS[kind].release;
}

/** A server on an ephemeral port (`listen(0)`, `listen()`): the next start gets another port, so no EADDRINUSE. */
export const EPHEMERAL_SERVER = 'It keeps listening and its accepted connections stay open: a process (or test run) that never exits on its own.';
/** `http.request({ method: 'HEAD' })` left unread: no body, but the agent gets the socket back only at the response's 'end', which needs a read. */
export const HEAD_RESPONSE = 'A HEAD response has no body, but its socket goes back to the agent only once the response is read to its \'end\' (`res.resume()`): until then it is held out of the pool, in CLOSE_WAIT once the server closes it.';
/** Deno's fetch is its own: an unread body is a resource the process holds (Deno manual, "fetch"). */
export const DENO_BODY = 'In Deno a response body is a resource of the process until it is read or cancelled (`await res.body?.cancel()`), and its connection stays out of the pool.';
const UNDICI_BODY = 'Until garbage collection cancels it, a body larger than undici\'s 64 KiB buffer holds its connection out of the pool (CLOSE_WAIT once the server closes it); undici requires every body to be consumed or cancelled.';

/**
 * node-fetch pipes the IncomingMessage into a PassThrough of its own as soon as it resolves: a small
 * body is buffered there and the socket goes back to the agent; a larger one fills that stream and
 * pauses the socket, which then stays out of the pool (v2 `lib/index.js`, v3 `src/index.js`).
 */
export const NODE_FETCH_MODULES = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch']);
const NODE_FETCH_BODY = 'A body larger than the stream node-fetch buffers it in pauses the socket, which then never goes back to the agent (CLOSE_WAIT once the server closes it); a small one is buffered and the socket is reused.';

export const CREATORS: CreatorSpec[] = [
  { modules: ['net'], names: ['connect', 'createConnection'], via: 'call', kind: 'socket' },
  { modules: ['net'], names: ['Socket', 'Stream'], via: 'new', kind: 'socket', returnsSelf: ['connect'] },
  { modules: ['tls'], names: ['connect'], via: 'call', kind: 'socket' },
  { modules: ['tls'], names: ['TLSSocket'], via: 'new', kind: 'socket' },
  { modules: ['net', 'tls'], names: ['createServer'], via: 'call', kind: 'server' },
  { modules: ['net', 'tls'], names: ['Server'], via: 'new', kind: 'server' },
  { modules: ['dgram'], names: ['createSocket'], via: 'call', kind: 'udp-socket' },
  { modules: ['http', 'https'], names: ['createServer'], via: 'call', kind: 'server' },
  { modules: ['http', 'https'], names: ['Server'], via: 'new', kind: 'server' },
  { modules: ['http', 'https'], names: ['Agent'], via: 'new', kind: 'agent', holdsOnlyWith: 'keepAlive' },
  // Proxy agents extend http.Agent (agent-base): the same keep-alive default, one tunnel per request without it.
  { modules: ['https-proxy-agent'], names: ['HttpsProxyAgent', 'default', ''], via: 'new', kind: 'agent', holdsOnlyWith: 'keepAlive' },
  { modules: ['http-proxy-agent'], names: ['HttpProxyAgent', 'default', ''], via: 'new', kind: 'agent', holdsOnlyWith: 'keepAlive' },
  { modules: ['proxy-agent'], names: ['ProxyAgent', 'default', ''], via: 'new', kind: 'agent', holdsOnlyWith: 'keepAlive' },
  { modules: ['socks-proxy-agent'], names: ['SocksProxyAgent', 'default', ''], via: 'new', kind: 'agent', holdsOnlyWith: 'keepAlive' },
  { modules: ['http', 'https'], names: ['request', 'get'], via: 'call', kind: 'response', callbackParam: 0 },
  { modules: ['http2'], names: ['connect'], via: 'call', kind: 'http2-session' },
  { modules: ['http2'], names: ['createServer', 'createSecureServer'], via: 'call', kind: 'server' },
  { modules: ['global', 'undici'], names: ['fetch'], via: 'call', kind: 'response', promise: true, symptom: UNDICI_BODY },
  { modules: ['node-fetch', 'cross-fetch', 'isomorphic-fetch'], names: ['fetch', 'default', ''], via: 'call', kind: 'response', promise: true, symptom: NODE_FETCH_BODY },
  { modules: ['undici'], names: ['request'], via: 'call', kind: 'response', promise: true, symptom: UNDICI_BODY },
  // undici.connect (CONNECT) and undici.upgrade resolve to `{ socket, … }`: the raw socket is the caller's to end.
  { modules: ['undici'], names: ['connect', 'upgrade'], via: 'call', kind: 'socket', promise: true, through: 'socket' },
  // axios buffers the body unless asked for a stream; then `res.data` is the IncomingMessage (lib/adapters/http.js).
  {
    modules: ['axios'], names: ['', 'default', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'], via: 'call',
    kind: 'response', promise: true, onlyWithOption: ['responseType', 'stream'], bodyProperty: 'data',
  },
  // got.stream() is the response stream itself: read it, pipe it or destroy it.
  { modules: ['got'], names: ['stream', 'stream.get', 'stream.post'], via: 'call', kind: 'response' },
  { modules: ['undici'], names: ['Client', 'Pool', 'BalancedPool'], via: 'new', kind: 'agent', fixCall: 'close()', originBound: true },
  { modules: ['undici'], names: ['Agent', 'ProxyAgent', 'EnvHttpProxyAgent'], via: 'new', kind: 'agent', fixCall: 'close()' },
  { modules: ['undici'], names: ['RetryAgent'], via: 'new', kind: 'agent', fixCall: 'close()', wrapsDispatcher: true },
  { modules: ['ws'], names: ['', 'default', 'WebSocket'], via: 'new', kind: 'websocket' },
  { modules: ['global'], names: ['WebSocket'], via: 'new', kind: 'websocket' },
  { modules: ['ws'], names: ['WebSocketServer', 'Server'], via: 'new', kind: 'server', notWithOptions: ['server', 'noServer'] },
  { modules: ['socket.io-client'], names: ['', 'default', 'io', 'connect'], via: 'call', kind: 'sio-client' },
  { modules: ['eventsource'], names: ['', 'default', 'EventSource'], via: 'new', kind: 'event-source' },
  { modules: ['mqtt'], names: ['connect'], via: 'call', kind: 'mqtt-client' },
  { modules: ['ldapjs'], names: ['createClient'], via: 'call', kind: 'ldap-client' },
  { modules: ['mqtt'], names: ['connectAsync'], via: 'call', kind: 'mqtt-client', promise: true },
  { modules: ['pg'], names: ['Client'], via: 'new', kind: 'db-client' },
  { modules: ['pg'], names: ['Pool'], via: 'new', kind: 'pool' },
  { modules: ['mysql', 'mysql2'], names: ['createConnection'], via: 'call', kind: 'db-client' },
  { modules: ['mysql2/promise'], names: ['createConnection'], via: 'call', kind: 'db-client', promise: true },
  { modules: ['mysql', 'mysql2', 'mysql2/promise'], names: ['createPool', 'createPoolCluster'], via: 'call', kind: 'pool' },
  // iovalkey: the Valkey project's fork of ioredis, the same client (connects when constructed).
  { modules: ['ioredis', 'iovalkey'], names: ['', 'default', 'Redis', 'Cluster'], via: 'new', kind: 'redis-client' },
  // node-redis v4 and later open no socket until `connect()` (v3, 2020, connected at once).
  { modules: ['redis'], names: ['createClient', 'createCluster'], via: 'call', kind: 'redis-client', fixCall: 'close()', returnsSelf: ['connect'], opensWith: ['connect'] },
  { modules: ['redis'], names: ['createClientPool'], via: 'call', kind: 'pool', fixCall: 'close()' },
  { modules: ['mongodb'], names: ['MongoClient'], via: 'new', kind: 'mongo-client', returnsSelf: ['connect'] },
  { modules: ['mongodb'], names: ['MongoClient.connect'], via: 'call', kind: 'mongo-client', promise: true },
  { modules: ['amqplib'], names: ['connect'], via: 'call', kind: 'amqp-connection', promise: true },
  { modules: ['amqplib/callback_api'], names: ['connect'], via: 'call', kind: 'amqp-connection', callbackParam: 1 },
  { modules: ['generic-pool'], names: ['createPool'], via: 'call', kind: 'pool', fixCall: 'drain()' },
  // A pooled SMTP transport keeps its connections open, idle or not, until `close()` (nodemailer's
  // smtp-pool); without `pool: true` each `sendMail` connects and disconnects by itself.
  { modules: ['nodemailer'], names: ['createTransport'], via: 'call', kind: 'pool', holdsOnlyWith: 'pool', fixCall: 'close()' },
  // Query builders and drivers that own a pool: connections are made on first use and kept until
  // `knex.destroy()` / `sql.end()` (postgres.js closes idle ones only with `idle_timeout`, off by default).
  { modules: ['knex'], names: ['', 'default', 'knex', 'Knex'], via: 'call', kind: 'pool', fixCall: 'destroy()' },
  { modules: ['postgres'], names: ['', 'default'], via: 'call', kind: 'pool' },
  // The Elasticsearch and OpenSearch clients keep a keep-alive connection pool per node until `close()`.
  { modules: ['@elastic/elasticsearch', '@opensearch-project/opensearch'], names: ['Client'], via: 'new', kind: 'pool', fixCall: 'close()' },
  // mongoose: a connection of its own (a MongoClient and its pool); `asPromise()` resolves to it.
  { modules: ['mongoose'], names: ['createConnection'], via: 'call', kind: 'mongo-client', returnsSelf: ['asPromise'] },
  // BullMQ: each queue, worker or event listener opens its own ioredis connection and holds it until
  // `close()`. A queue or worker may be given an existing client instead; `QueueEvents` blocks on
  // Redis, so it always opens one of its own (BullMQ docs, "Connections").
  {
    modules: ['bullmq'], names: ['Queue', 'Worker', 'FlowProducer'], via: 'new', kind: 'redis-client', fixCall: 'close()',
    reusesClientIn: 'connection',
  },
  { modules: ['bullmq'], names: ['QueueEvents'], via: 'new', kind: 'redis-client', fixCall: 'close()' },
  { modules: ['nats', '@nats-io/transport-node'], names: ['connect'], via: 'call', kind: 'nats-connection', promise: true },
];

export const METHOD_CREATORS: MethodCreatorSpec[] = [
  {
    // `fastify.pg.connect()`: @fastify/postgres decorates the app with its pg Pool as `pg`.
    receivers: ['pg:Pool'], methods: ['connect'], kind: 'pool-checkout', callbackParam: 1,
    receiverNamePattern: /pool$|^pg$/i,
  },
  {
    receivers: ['mysql:createPool', 'mysql2:createPool', 'mysql2/promise:createPool', 'mysql:Pool', 'mysql2:Pool',
      'mysql2/promise:Pool', 'mysql:createPoolCluster', 'mysql2:createPoolCluster', 'mysql2:PoolCluster', 'mysql:PoolCluster'],
    methods: ['getConnection'], kind: 'pool-checkout', callbackParam: 1, receiverNamePattern: /pool/i,
  },
  {
    receivers: ['generic-pool:createPool', 'generic-pool:Pool'], methods: ['acquire'], kind: 'pool-checkout',
    receiverNamePattern: /pool$/i,
  },
  // tarn (knex's pool): `pool.acquire()` returns a pending operation whose `.promise` is the resource.
  { receivers: ['tarn:Pool'], methods: ['acquire'], kind: 'pool-checkout', through: 'promise' },
  { receivers: ['ioredis:', 'ioredis:default', 'ioredis:Redis', 'iovalkey:', 'iovalkey:default', 'iovalkey:Redis', 'redis:createClient'], methods: ['duplicate'], kind: 'redis-client', receiverNamePattern: /redis/i },
  // amqplib: a channel on a connection; closing the connection closes its channels, closing a channel
  // leaves the connection open.
  {
    receivers: ['amqplib:connect', 'amqplib:Connection', 'amqplib:ChannelModel'], methods: ['createChannel', 'createConfirmChannel'],
    kind: 'amqp-channel', receiverNamePattern: /^(conn|connection|amqpConn|amqpConnection)$/i,
  },
  // mongodb: an explicit session must be ended (`withSession`/`withTransaction` end theirs).
  { receivers: ['mongodb:MongoClient', 'mongodb:connect', 'mongodb:MongoClient.connect'], methods: ['startSession'], kind: 'mongo-session' },
  // kafkajs: `kafka.producer()` / `consumer()` / `admin()` make a client that connects in `connect()`
  // and holds its broker connections until `disconnect()`.
  { receivers: ['kafkajs:Kafka'], methods: ['producer', 'consumer', 'admin'], kind: 'broker-client', opensWith: ['connect'] },
  // `app.listen(port)` of an Express or Koa app returns the http.Server it starts.
  { receivers: ['express:', 'express:default', 'koa:', 'koa:default', 'koa:Koa'], methods: ['listen'], kind: 'server' },
  { receivers: ['http:request', 'https:request', 'http:get', 'https:get', 'http:ClientRequest'], methods: ['on', 'once'], event: 'response', kind: 'response', callbackParam: 0 },
  // A CONNECT request's `'connect'` listener gets `(res, socket, head)`: the tunnel's raw socket is the
  // listener's to use or destroy, whatever the proxy answered (http.md § Event: 'connect').
  { receivers: ['http:request', 'https:request', 'http:ClientRequest'], methods: ['on', 'once'], event: 'connect', kind: 'socket', callbackParam: 1, resultFirst: true },
  // An axios instance (`axios.create(…)`) streams like axios itself when asked to.
  {
    receivers: ['axios:create', 'axios:AxiosInstance', 'axios:Axios'], methods: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'],
    kind: 'response', onlyWithOption: ['responseType', 'stream'], bodyProperty: 'data',
  },
  // `client.request(opts)` of an undici dispatcher resolves to `{ statusCode, body }` (promise form only).
  {
    receivers: ['undici:Client', 'undici:Pool', 'undici:Agent', 'undici:BalancedPool', 'undici:ProxyAgent', 'undici:Dispatcher'],
    methods: ['request'], kind: 'response', symptom: UNDICI_BODY,
  },
  // `const { socket } = await pool.connect({ path })`: a CONNECT tunnel (or an upgrade) through a
  // dispatcher hands over a raw socket, the caller's to close.
  {
    receivers: ['undici:Client', 'undici:Pool', 'undici:Agent', 'undici:BalancedPool', 'undici:ProxyAgent', 'undici:Dispatcher'],
    methods: ['connect', 'upgrade'], kind: 'socket', through: 'socket',
  },
];

/**
 * Modules whose response is an IncomingMessage: even a HEAD response must be read (or resumed) before
 * its socket goes back to the agent, since the client frees it on 'end', which an unread message never
 * emits (node-socket-semantics.md; checked on Node 20). A fetch Response to HEAD has no body to hold.
 */
export const INCOMING_MESSAGE_MODULES = new Set(['http', 'https']);

/** Calls on another object that release the resource handed to them (`pool.release(conn)`, `pipeline(res, file)`). */
export const RELEASING_CALLS = new Set(['release', 'destroy', 'pipeline', 'finished']);

/** Node builtins may be imported with the `node:` scheme. */
export function normalizeModule(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

/** Modules the catalog knows, so that files importing none of them can be skipped fast. */
export const KNOWN_MODULES = new Set<string>([
  ...CREATORS.flatMap((c) => c.modules),
  ...METHOD_CREATORS.flatMap((m) => m.receivers.map((r) => r.split(':')[0])),
]);

/** Events whose listeners receive a resource (`req.on('response', cb)`, a CONNECT's `'connect'`). */
export const CREATOR_EVENTS = new Set<string>(METHOD_CREATORS.flatMap((m) => (m.event ? [m.event] : [])));

/** Method names that can check out or create from an instance, for a quick syntactic pre-filter. */
export const CREATOR_METHODS = new Set<string>(METHOD_CREATORS.flatMap((m) => m.methods));

/**
 * Proxies that open a new upstream connection per proxied request unless given an agent: http-proxy
 * sets `outgoing.agent = options.agent || false` and `Connection: close` (lib/http-proxy/common.js
 * setupOutgoing); http-proxy-middleware hands its options to http-proxy.
 */
export const PER_REQUEST_PROXIES: Array<{ modules: string[]; names: string[] }> = [
  { modules: ['http-proxy'], names: ['createProxyServer', 'createProxy', 'createServer'] },
  { modules: ['http-proxy-middleware'], names: ['createProxyMiddleware', 'legacyCreateProxyMiddleware'] },
];
