// The kinds of connection-holding objects: what each is called in messages, which operations release
// it, what a leak of it costs, and the groups the checks ask about (a client of its own, one meant to be
// shared). Data only; the creators that make each kind are in catalog.ts, the facts behind each entry in
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
  | 'change-stream'
  | 'sio-client'
  | 'mqtt-client'
  | 'ldap-client'
  | 'imap-client'
  | 'smtp-connection'
  | 'ssh-client'
  | 'ftp-client'
  | 'event-source'
  | 'nats-connection'
  | 'nest-client'
  | 'memcache-client'
  | 'grpc-client'
  | 'response'
  | 'pool-checkout'
  | 'wrapper';

/**
 * One client connection (or session) of its own, which the code that makes it must close: checked in
 * promise executors (settled-promises.ts), class fields (fields.ts) and test hooks (hooks.ts). A new
 * kind of client belongs here; servers, pools, responses and checkouts have rules of their own.
 */
export const CONNECTION_KINDS = new Set<ResourceKind>([
  'socket', 'websocket', 'udp-socket', 'http2-session', 'sio-client', 'mqtt-client', 'ldap-client', 'imap-client', 'smtp-connection', 'ssh-client', 'ftp-client', 'redis-client',
  'db-client', 'mongo-client', 'amqp-connection', 'broker-client', 'event-source', 'nats-connection', 'nest-client', 'memcache-client', 'grpc-client',
  'change-stream',
]);

/**
 * A client connection that connects once and makes no new one when it drops (KindSpec.reconnects
 * unset): its 'connect'/'ready'/'open' event fires once, so a listener for it goes on with the work.
 */
export function connectsOnce(kind: ResourceKind): boolean {
  return CONNECTION_KINDS.has(kind) && kind !== 'udp-socket' && !KINDS[kind].reconnects;
}

/**
 * Kinds meant to be made once and shared: a pool, or one multiplexed connection to Redis, MongoDB, an
 * AMQP broker, an HTTP/2 origin or a gRPC server (a channel's `close()` drops its connection when no other
 * channel uses it). One made and closed per call is connection churn (each call pays the handshakes again);
 * a database connection per call is common and often fine, so it is not here.
 */
export const SHARED_KINDS = new Set<ResourceKind>(['pool', 'redis-client', 'mongo-client', 'amqp-connection', 'http2-session', 'mqtt-client', 'nats-connection', 'nest-client', 'memcache-client', 'grpc-client']);
/**
 * A database connection of its own (`new pg.Client()`, `mysql.createConnection()`) is made per call
 * on purpose often enough (a serverless handler, a migration step): only one made again on every
 * iteration of a loop is churn, where one made before the loop would do, or one made in a callback
 * that runs for every request or event (a route handler, a 'message' listener).
 */
export const SHARED_IN_LOOPS_KINDS = new Set<ResourceKind>(['db-client']);
/**
 * `kafka.producer()`: one producer per process is the kafkajs way; one per call connects to the brokers again each time.
 * `redis.duplicate()`: a new connection with the client's options, as `new Redis(o)` is (ioredis, node-redis).
 */
export const SHARED_CLIENT_METHODS: Partial<Record<ResourceKind, string>> = { 'broker-client': 'producer', 'redis-client': 'duplicate' };

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
  /**
   * The option through which an operation is told to run in it (`coll.find(q, { session })`,
   * `Model.findByPk(id, { transaction: t })`): naming it there is a use; it stays the caller's.
   */
  runsInOption?: string;
  /** It reconnects after an 'error' (WHATWG EventSource "reestablish the connection"): only the release ends it. */
  reconnectsAfterError?: boolean;
  /** It makes a new connection when its connection drops, until its release: a peer that closes it does not end it. */
  reconnects?: boolean;
  /**
   * Its `'error'` reports one of its connections failing (pg's idle client, mssql's tarn pool) and it stays open:
   * a listener for it does not run after a close. (A kind that `reconnects` stays open after an error too.)
   */
  openAfterError?: boolean;
  /**
   * Events it emits each time its connection drops, after which it reconnects by itself (unless made not to:
   * `reconnectPeriod: 0`, `reconnection: false`): a listener for one runs while it is still open. MQTT.js and ioredis
   * emit `'close'` on every drop (`'end'` once closed for good); a Socket.IO client `'disconnect'`.
   */
  droppedBy?: string[];
  /**
   * An operation of its own that rejects has closed it, but for the methods listed: an AMQP channel's RPC
   * (`assertExchange`, `bindQueue`…) rejects when the broker closes the channel (a channel error: 404, 406) or its
   * connection closes (amqplib `lib/channel.js`), so `await ch.assertExchange(…)` rejecting leaves no channel open;
   * `waitForConfirms()` rejects on a nack, and the channel goes on.
   */
  closedByOwnFailure?: { except: string[] };
  /**
   * Its server is a database or a broker, never a server a test file starts: a test server that drops
   * its connections (`closeAllConnections()`) does not close it.
   */
  servedElsewhere?: boolean;
  /** The listener given to its creator gets it as first argument (`http2.connect(url, (session) => …)`: the 'connect' event's). */
  listenerGetsIt?: boolean;
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
    disposable: false, closedBy: ['close'], listenerGetsIt: true,
    symptom: 'The session keeps its TCP connection and the process alive, in CLOSE_WAIT once the peer goes away.',
  },
  websocket: {
    rule: 'unclosed-connection', noun: 'WebSocket', release: ['close', 'terminate'], fixCall: 'close()',
    disposable: false, closedBy: ['close'],
    // ws ends its side when the peer's FIN arrives (lib/websocket.js socketOnEnd): open, not CLOSE_WAIT.
    symptom: 'The WebSocket keeps its TCP connection open, and the process alive, for as long as the server does.',
  },
  agent: {
    rule: 'unclosed-connection', noun: 'connection pool (agent/dispatcher)', release: ['destroy', 'close'],
    fixCall: 'destroy()', disposable: false,
    symptom: 'Its idle keep-alive sockets stay open until they time out, and every call that makes one adds a pool.',
  },
  'db-client': {
    rule: 'unclosed-connection', noun: 'database connection', release: ['end', 'destroy', 'close'],
    fixCall: 'end()', fixAwait: true, disposable: false, servedElsewhere: true,
    symptom: 'The database connection stays open until the server refuses new ones (max_connections).',
  },
  pool: {
    rule: 'unclosed-connection', noun: 'connection pool', release: ['end', 'close', 'destroy', 'drain', 'clear', '$disconnect'],
    fixCall: 'end()', fixAwait: true, disposable: false, longLived: true, openAfterError: true,
    symptom: 'Every connection of the pool stays open, and so does the process.',
  },
  'redis-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'Redis connection',
    release: ['quit', 'disconnect', 'close', 'destroy', 'end'], fixCall: 'quit()', fixAwait: true, disposable: false, droppedBy: ['close'],
    symptom: 'The Redis connection stays open and reconnects forever.',
  },
  // memjs: `Client.create()` connects nothing; the first command opens one socket per server, which stays
  // open (a socket timeout with no command outstanding closes nothing, server.ts `timeoutHandler`) until
  // `close()`, or `quit()` once the server answers it.
  'memcache-client': {
    rule: 'unclosed-connection', noun: 'memcached client', release: ['close', 'quit'], fixCall: 'close()', disposable: false,
    symptom: 'Its socket to each memcached server stays open once used, and keeps the process alive, until `close()` or `quit()`.',
  },
  // @grpc/grpc-js: a client's channel connects on its first call and reconnects when the connection
  // drops, until `close()`. Channels to the same address share a connection (the global subchannel
  // pool), which goes only once every channel using it has been idle for `grpc.client_idle_timeout_ms`
  // (30 minutes); channelz keeps each channel registered until its `close()` (internal-channel.ts).
  'grpc-client': {
    rule: 'unclosed-connection', reconnects: true, servedElsewhere: true, noun: 'gRPC client', release: ['close'], fixCall: 'close()', disposable: false,
    symptom: 'Its channel is never closed: grpc-js keeps it, and its connection to the server, until it has been idle for 30 minutes, reconnecting when the connection drops, and keeps it registered in channelz for the life of the process.',
  },
  'mongo-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'MongoDB client', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: 'async',
    symptom: 'Its connection pool stays open: connections pile up on the server and the process never exits.',
  },
  'amqp-connection': {
    rule: 'unclosed-connection', noun: 'AMQP connection', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: false, servedElsewhere: true,
    symptom: 'The broker connection stays open, in CLOSE_WAIT when the broker goes away.',
  },
  'amqp-channel': {
    rule: 'unclosed-connection', noun: 'AMQP channel', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: false, closedByOwnFailure: { except: ['waitForConfirms'] },
    symptom: 'The channel stays open on its connection, with its unacknowledged messages; channels pile up until the broker refuses new ones (channel_max).',
  },
  'broker-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'Kafka client', release: ['disconnect'], fixCall: 'disconnect()', fixAwait: true,
    disposable: false,
    symptom: 'Its broker connections stay open (a consumer also keeps its group membership until the session times out).',
  },
  // A checkout of the driver's ServerSessionPool (sessions.ts: `endSession()` gives the server session back).
  'mongo-session': {
    rule: 'unreleased-pool-connection', noun: 'MongoDB session', release: ['endSession'], fixCall: 'endSession()', fixAwait: true,
    disposable: false, runsInOption: 'session',
    symptom: "Its server session is never returned to the driver's pool (behind a load balancer, with the connection a transaction pinned); the server keeps it until it times out after 30 minutes.",
  },
  'change-stream': {
    // It resumes by itself after a network error (the driver's resumable errors), as a client that reconnects does.
    rule: 'unclosed-connection', noun: 'MongoDB change stream', release: ['close'], fixCall: 'close()', fixAwait: true,
    disposable: false, reconnects: true,
    // lib/change_stream.ts: a cursor on the server, read by a getMore loop (awaitData) that runs while it is open.
    symptom: "Its cursor stays open on the server, and its getMore loop keeps taking a connection of the client's pool for as long as the process runs; streams nobody closes pile up until the pool (maxPoolSize) is busy with them.",
  },
  'sio-client': {
    rule: 'unclosed-connection', reconnects: true, noun: 'Socket.IO client', release: ['disconnect', 'close'],
    fixCall: 'disconnect()', disposable: false, droppedBy: ['disconnect'],
    symptom: 'The client keeps its connection open and, unless made with `reconnection: false`, reconnects whenever it drops.',
  },
  // MQTT.js: `mqtt.connect()` connects at once and reconnects every `reconnectPeriod` (1 s) until
  // `end()` (`endAsync()` in v5); a `reconnectPeriod` of 0 or less only stops the reconnects.
  // @nestjs/microservices: a `ClientProxy` (`ClientProxyFactory.create(o)`, `new ClientTCP(o)`…) connects on
  // its first `connect()`, `emit()` or `send()` (client-proxy.ts: both defer to `connect()`) and holds its
  // transport's connections (a TCP socket, ioredis publisher and subscriber, a NATS or RabbitMQ connection)
  // until `close()`.
  'nest-client': {
    rule: 'unclosed-connection', noun: 'NestJS microservice client', release: ['close'], fixCall: 'close()', fixAwait: true, disposable: false,
    symptom: "Its transport's connections (a TCP socket, Redis, NATS, RabbitMQ, Kafka…) stay open until `close()`, and keep the process (or the test run) alive.",
  },
  'mqtt-client': {
    // MQTT.js reconnects after an 'error' (a refused CONNACK, a dropped connection) every `reconnectPeriod`.
    rule: 'unclosed-connection', reconnects: true, noun: 'MQTT client', release: ['end', 'endAsync'], fixCall: 'end()', disposable: false, reconnectsAfterError: true,
    droppedBy: ['close', 'offline'],
    symptom: 'The client keeps its broker connection open and, unless made with a `reconnectPeriod` of 0 or less, reconnects whenever it drops, until `end()`.',
  },
  // ldapjs: `createClient()` connects at once and holds the connection until `unbind()` (which asks
  // the server to close it) or `destroy()`; a failed search or bind leaves it connected.
  'ldap-client': {
    rule: 'unclosed-connection', noun: 'LDAP client', release: ['unbind', 'destroy'], fixCall: 'unbind()', disposable: false,
    symptom: 'Its connection to the directory server stays open, one more each time this path is taken.',
  },
  // node-imap (`imap`): `connect()` opens the socket; `end()` logs out and closes it, `destroy()` drops it.
  // imapflow: `connect()` opens it; `logout()` closes the connection in its `finally` on every path
  // (lib/commands/logout.js), `close()` closes it without logging out. Neither reconnects.
  'imap-client': {
    rule: 'unclosed-connection', noun: 'IMAP client', release: ['end', 'destroy', 'logout', 'close'], fixCall: 'end()', disposable: false,
    symptom: 'Its authenticated connection to the mail server stays open (servers allow only a few per account), one more each time this path is taken.',
  },
  // nodemailer's own `SMTPConnection` (nodemailer/lib/smtp-connection): `connect(cb)` opens the socket; `quit()` sends
  // QUIT and closes it, `close()` closes it. An 'error' closes it (`_onError` emits it, then calls `close()`); a failed
  // `login(auth, cb)` only hands the error to its callback and leaves the connection open. It never reconnects.
  'smtp-connection': {
    rule: 'unclosed-connection', noun: 'SMTP connection', release: ['quit', 'close'], fixCall: 'quit()', disposable: false,
    symptom: 'Its connection to the mail server stays open until the server times it out, one more each time this path is taken.',
  },
  // ssh2's `Client`: `connect(cfg)` opens the TCP connection; `end()` sends a disconnect and ends it,
  // `destroy()` drops it. An 'error' ends it (lib/client.js: a protocol error ends the socket, failed
  // authentication calls `end()`, the handshake timeout destroys it); it never reconnects.
  'ssh-client': {
    rule: 'unclosed-connection', noun: 'SSH connection', release: ['end', 'destroy'], fixCall: 'end()', disposable: false,
    closedBy: ['close', 'end'],
    symptom: 'The SSH session stays open (its keepalives keep it so), one more each time this path is taken, and a command-line tool that leaves one open never exits.',
  },
  // basic-ftp's `Client`: `access()` (or `connect()`) opens the control connection; `close()` closes it
  // and any data connection (src/Client.ts). It never reconnects.
  'ftp-client': {
    rule: 'unclosed-connection', noun: 'FTP client', release: ['close', 'end', 'destroy'], fixCall: 'close()', disposable: false,
    symptom: 'Its control connection to the FTP server stays open (servers allow only a few per account), one more each time this path is taken.',
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
    // `logout` is a mail or directory client's (imapflow's closes the connection in its `finally`), `unbind` an LDAP client's.
    release: ['close', 'end', 'destroy', 'dispose', 'disconnect', 'quit', 'terminate', 'stop', 'shutdown', 'logout', 'unbind'], fixCall: 'close()',
    disposable: false,
    symptom: 'The connection it owns stays open.',
  },
  response: {
    rule: 'unconsumed-response', noun: 'HTTP response',
    release: [
      'text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData', 'cancel', 'dump', 'destroy', 'resume', 'pipe',
      'pipeTo', 'pipeThrough', 'getReader', 'read', 'abort', 'tee', 'readBody',
      // The AWS SDK's stream mixin on an S3 object's `Body`; a ClickHouse ResultSet's `stream()`.
      'transformToString', 'transformToByteArray', 'transformToWebStream', 'stream',
    ],
    fixCall: 'resume()', disposable: false,
    // A small body is buffered whole and the server's FIN still destroys the socket (socketOnEnd); a larger
    // one stops the socket being read (parserOnBody → readStop), so the FIN stays unread: CLOSE_WAIT.
    symptom: 'Its socket never goes back to the agent (with `maxSockets`, later requests wait for it); a body larger than the stream\'s buffer also stops the socket being read, and it sits in CLOSE_WAIT once the server closes it.',
  },
  'pool-checkout': {
    rule: 'unreleased-pool-connection', noun: 'connection', release: ['release', 'destroy', 'end'],
    fixCall: 'release()', disposable: false, runsInOption: 'transaction',
    symptom: 'The connection never goes back to the pool; once the pool is empty, every later query waits forever.',
  },
};

/**
 * The methods that release a resource of `kind`; for a project class or factory, also its own release
 * method (`handleShutdown()`, a `closeAll()` the factory puts on a server: CreatorMatch.fixCall).
 */
export function releaseMethods(kind: ResourceKind, fixCall?: string): string[] {
  const own = fixCall && /^\w+\(\)$/.test(fixCall) ? fixCall.slice(0, -2) : undefined;
  if (own && RELEASED_ONLY_BY[own]) return RELEASED_ONLY_BY[own];
  const added = (own ? ENDED_TOGETHER[own] ?? [own] : []).filter((m) => !KINDS[kind].release.includes(m));
  return added.length ? [...KINDS[kind].release, ...added] : KINDS[kind].release;
}

/**
 * A creator whose fix is this call is released by these alone, not by the rest of its kind's: generic-pool's `drain()`
 * waits for the loans and stops the evictor but destroys no idle resource; `clear()` does (lib/Pool.js; its README
 * shuts down with `pool.drain().then(() => pool.clear())`).
 */
const RELEASED_ONLY_BY: Record<string, string[]> = { clear: ['clear'] };

/**
 * A transaction ends either way: knex's `trx.rollback()` or `trx.commit()` gives its connection back;
 * a gRPC server closes at `tryShutdown()` (once its calls end) as at `forceShutdown()`.
 */
const ENDED_TOGETHER: Record<string, string[]> = { rollback: ['rollback', 'commit'], forceShutdown: ['forceShutdown', 'tryShutdown'] };

/** Every method some kind of resource is released with (`close`, `end`, `quit`, `disconnect`…). */
export const ANY_RELEASE = new Set(Object.values(KINDS).flatMap((k) => k.release));

/** A name of its own for a release: `closeConnection`, `disconnectAll`, `handleShutdown`. */
export const OWN_RELEASE_NAME = /^(close|disconnect|destroy|dispose|shutdown|quit|terminate)[A-Z]|^[a-z]\w*(Close|Shutdown|Disconnect|Destroy|Dispose|Terminate)$/;

/** A method or function named for releasing what it is given or holds: a kind's release (`close`, `end`…) or a name of its own. */
export function namedForRelease(name: string): boolean {
  return ANY_RELEASE.has(name) || OWN_RELEASE_NAME.test(name);
}
