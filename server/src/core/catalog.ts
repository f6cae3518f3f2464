// The resource catalog: which calls create a connection-holding object and what kind of object it is
// (kinds.ts says how each kind is released). Data only; the facts behind each entry are in
// docs/rules/*.md and ../shared/reference/node-socket-semantics.md §7.

import type { CreatorSpec } from './creator-spec';
import type { ResourceKind } from './kinds';
import { METHOD_CREATORS } from './method-creators';
import { BROWSER_SOCKET, CASSANDRA_CLIENT, UNDICI_BODY } from './symptoms';

/** The operations of an ldapts `Client`, each of which connects it first (src/Client.ts `_send`). */
const LDAPTS_OPERATIONS = ['bind', 'search', 'searchPaginated', 'add', 'modify', 'modifyDN', 'del', 'compare', 'exop', 'startTLS'];

/**
 * Clients whose connections are an HTTP agent's or an undici dispatcher's: idle sockets are unref'd
 * (they keep no process or test run alive) and closed after the keep-alive timeout, so one left open
 * by a test costs nothing past it, as for an agent.
 */
/** AWS SDK v3 service clients most code makes (each module's `XClient` and aggregated `X`). */
const AWS_CLIENTS: Record<string, string[]> = {
  '@aws-sdk/client-s3': ['S3Client', 'S3'], '@aws-sdk/client-dynamodb': ['DynamoDBClient', 'DynamoDB'], '@aws-sdk/client-sqs': ['SQSClient', 'SQS'],
  '@aws-sdk/client-sns': ['SNSClient', 'SNS'], '@aws-sdk/client-lambda': ['LambdaClient', 'Lambda'], '@aws-sdk/client-kinesis': ['KinesisClient', 'Kinesis'],
  '@aws-sdk/client-secrets-manager': ['SecretsManagerClient', 'SecretsManager'],
};
export const HTTP_POOL_CLIENT_MODULES = new Set(['@elastic/elasticsearch', '@opensearch-project/opensearch', '@clickhouse/client', ...Object.keys(AWS_CLIENTS)]);
/**
 * Pools that close no idle connection by themselves: nodemailer's smtp-pool keeps them until `close()`, and
 * generic-pool evicts nothing unless asked (`evictionRunIntervalMillis`). pg, mysql2 and mssql pools close
 * idle connections after a timeout; knex's keeps its `min` (dropped-pools.ts). One made per call and dropped is a
 * leak (leak-rule.ts droppedPool).
 */
export const POOLS_KEEPING_IDLE = new Set(['nodemailer', 'generic-pool']);

/** A server on an ephemeral port (`listen(0)`, `listen()`): the next start gets another port, so no EADDRINUSE. */
export const EPHEMERAL_SERVER = 'It keeps listening and its accepted connections stay open: a process (or test run) that never exits on its own.';
/** `http.request({ method: 'HEAD' })` left unread: no body, but the agent gets the socket back only at the response's 'end', which needs a read. */
export const HEAD_RESPONSE = 'A HEAD response has no body, but its socket goes back to the agent only once the response is read to its \'end\' (`res.resume()`): until then it is held out of the pool, in CLOSE_WAIT once the server closes it.';
/** Deno's fetch is its own: an unread body is a resource the process holds (Deno manual, "fetch"). */
export const DENO_BODY = 'In Deno a response body is a resource of the process until it is read or cancelled (`await res.body?.cancel()`), and its connection stays out of the pool.';

/**
 * node-fetch pipes the IncomingMessage into a PassThrough of its own as soon as it resolves: a small
 * body is buffered there and the socket goes back to the agent; a larger one fills that stream and
 * pauses the socket, which then stays out of the pool (v2 `lib/index.js`, v3 `src/index.js`).
 */
const NODE_FETCH_BODY = 'A body larger than the stream node-fetch buffers it in pauses the socket, which then never goes back to the agent (CLOSE_WAIT once the server closes it); a small one is buffered and the socket is reused.';

/** mysqljs and mysql2, whose pools end every connection they made (closedWithItsMaker). */
const MYSQL_MODULES = ['mysql', 'mysql2', 'mysql2/promise'];

export const CREATORS: CreatorSpec[] = [
  { modules: ['net'], names: ['connect', 'createConnection'], via: 'call', kind: 'socket' },
  // No descriptor until `connect()` (lib/net.js creates the handle there), unless it wraps one given in `fd`/`handle`.
  { modules: ['net'], names: ['Socket', 'Stream'], via: 'new', kind: 'socket', returnsSelf: ['connect'], opensWith: ['connect'], openAtOnceWith: ['fd', 'handle'] },
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
  // hpagent's agents extend http.Agent and https.Agent with the options they are given (keepAlive included).
  { modules: ['hpagent'], names: ['HttpProxyAgent', 'HttpsProxyAgent'], via: 'new', kind: 'agent', holdsOnlyWith: 'keepAlive' },
  { modules: ['http', 'https'], names: ['request', 'get'], via: 'call', kind: 'response', callbackParam: 0 },
  { modules: ['http2'], names: ['connect'], via: 'call', kind: 'http2-session' },
  { modules: ['http2'], names: ['createServer', 'createSecureServer'], via: 'call', kind: 'server' },
  // http-proxy's ProxyServer binds nothing until `listen(port)`, which makes an http(s) server that its
  // `close()` closes (lib/http-proxy/index.js); used as middleware (`proxy.web(req, res)`) it holds no port.
  { modules: ['http-proxy'], names: ['createProxyServer', 'createProxy', 'createServer'], via: 'call', kind: 'server', opensWith: ['listen'], returnsSelf: ['listen'] },
  // ftp-srv: `new FtpSrv({ url })` binds its control port in `listen()` (a promise) and holds it, and every client's
  // control and passive sockets, until `close()` (src/index.js).
  { modules: ['ftp-srv'], names: ['', 'default', 'FtpSrv'], via: 'new', kind: 'server', opensWith: ['listen'] },
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
  // @hapi/wreck's `request(method, uri, options)` resolves to the IncomingMessage, unread: `Wreck.read(res)`
  // reads it (`get`/`post`/… read it themselves and resolve to `{ res, payload }`; lib/index.js).
  { modules: ['@hapi/wreck'], names: ['request'], via: 'call', kind: 'response', promise: true },
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
  // graphql-ws: `createClient({ lazy: false })` opens its WebSocket at once and keeps it (reconnecting up to
  // `retryAttempts`) until `dispose()`; a lazy client (the default) connects per subscription and closes
  // once none is left.
  { modules: ['graphql-ws'], names: ['createClient'], via: 'call', kind: 'websocket', holdsOnlyWithout: 'lazy', fixCall: 'dispose()' },
  { modules: ['mqtt'], names: ['connect'], via: 'call', kind: 'mqtt-client' },
  // @nestjs/microservices: a ClientProxy connects on its first connect(), emit() or send() (kinds.ts).
  { modules: ['@nestjs/microservices'], names: ['ClientProxyFactory.create'], via: 'call', kind: 'nest-client', opensWith: ['connect', 'emit', 'send'] },
  {
    modules: ['@nestjs/microservices'], names: ['ClientTCP', 'ClientRedis', 'ClientNats', 'ClientMqtt', 'ClientRMQ', 'ClientKafka'],
    via: 'new', kind: 'nest-client', opensWith: ['connect', 'emit', 'send'],
  },
  // memjs: the first command opens the sockets (kinds.ts). memcached (3rd-Eden) closes idle ones (`idle`, 5 s): not listed.
  {
    modules: ['memjs'], names: ['Client.create'], via: 'call', kind: 'memcache-client',
    opensWith: ['get', 'getMulti', 'set', 'add', 'replace', 'delete', 'increment', 'decrement', 'append', 'prepend', 'touch', 'flush', 'stats', 'statsWithKey', 'resetStats', 'version', 'versionAll'],
  },
  { modules: ['ldapjs'], names: ['createClient'], via: 'call', kind: 'ldap-client' },
  // ldapts: a `Client` connects on its first operation (src/Client.ts `_send` → `_connect`) and holds the
  // socket, whatever the operation answered (a failed bind too), until `unbind()` or `await using`.
  { modules: ['ldapts'], names: ['Client'], via: 'new', kind: 'ldap-client', opensWith: LDAPTS_OPERATIONS, openerFailsOpen: LDAPTS_OPERATIONS },
  // A browser's DevTools WebSocket: puppeteer's `connect()` to a running (remote) browser, closed by
  // `disconnect()` (the browser runs on) or `close()` (the browser too); Playwright's `connect()` and
  // `connectOverCDP()`, closed by `close()`. Not `launch()`: what it leaves behind is a browser process.
  { modules: ['puppeteer', 'puppeteer-core'], names: ['connect'], via: 'call', kind: 'websocket', promise: true, fixCall: 'disconnect()', symptom: BROWSER_SOCKET },
  {
    modules: ['playwright', 'playwright-core', '@playwright/test'],
    names: ['chromium.connect', 'firefox.connect', 'webkit.connect', 'chromium.connectOverCDP'], via: 'call', kind: 'websocket', promise: true, symptom: BROWSER_SOCKET,
  },
  // hapi: `Hapi.server(o)` binds its port in `start()` and closes it in `stop()`; `route()`, `register()`… give it its handlers.
  {
    modules: ['@hapi/hapi', 'hapi'], names: ['server', 'Server'], via: 'any', kind: 'server', opensWith: ['start'], fixCall: 'stop()',
    handlerMethods: ['route', 'register', 'ext', 'decorate'],
  },
  // fastify: `Fastify(opts)` binds its port in `listen()` (which resolves to the address, not the app) and closes it
  // in `close()`; `app.inject()` answers without a port. `get()`, `register()`, `addHook()`… give it its handlers.
  {
    modules: ['fastify'], names: ['', 'default', 'fastify'], via: 'call', kind: 'server', opensWith: ['listen'], fixCall: 'close()',
    handlerMethods: ['route', 'get', 'post', 'put', 'patch', 'delete', 'all', 'register', 'addHook', 'decorate', 'setErrorHandler', 'setNotFoundHandler'],
  },
  // smtp-server (Nodemailer's): `new SMTPServer(o)` binds its port in `listen()` and closes it in `close()` (lib/smtp-server.js);
  // its handlers are options (`onData`, `onAuth`…). Mostly a mail double in tests.
  { modules: ['smtp-server'], names: ['SMTPServer'], via: 'new', kind: 'server', opensWith: ['listen'] },
  // An LDAP server (a directory double in tests): `listen()` binds it, `close()` closes it; `search()`, `bind()`… give it handlers.
  {
    modules: ['ldapjs'], names: ['createServer'], via: 'call', kind: 'server',
    handlerMethods: ['bind', 'search', 'add', 'modify', 'del', 'compare', 'modifyDN', 'exop', 'unbind', 'use'],
  },
  { modules: ['imap'], names: ['', 'default'], via: 'new', kind: 'imap-client', opensWith: ['connect'] },
  { modules: ['imapflow'], names: ['ImapFlow'], via: 'new', kind: 'imap-client', opensWith: ['connect'], fixCall: 'logout()' },
  { modules: ['nodemailer/lib/smtp-connection'], names: ['', 'default'], via: 'new', kind: 'smtp-connection', opensWith: ['connect'] },
  { modules: ['ssh2'], names: ['Client'], via: 'new', kind: 'ssh-client', opensWith: ['connect'], returnsSelf: ['connect'] },
  // ssh2-sftp-client wraps an ssh2 Client: `connect()` opens it, `end()` ends it (and resolves once closed).
  { modules: ['ssh2-sftp-client'], names: ['', 'default'], via: 'new', kind: 'ssh-client', opensWith: ['connect'] },
  // basic-ftp: the socket of `new Client()` is connected by `access()` or `connect()`; `access()` then logs
  // in, and a refused login rejects with the control connection still open (src/Client.ts `access`).
  { modules: ['basic-ftp'], names: ['Client'], via: 'new', kind: 'ftp-client', opensWith: ['access', 'connect'], openerFailsOpen: ['access'] },
  // ftp (mscdex/node-ftp): `new Client()` connects at `connect(o)` (then `'ready'`); `end()` sends QUIT and
  // closes, `destroy()` closes at once (lib/connection.js).
  { modules: ['ftp'], names: ['', 'default'], via: 'new', kind: 'ftp-client', opensWith: ['connect'], fixCall: 'end()' },
  { modules: ['mqtt'], names: ['connectAsync'], via: 'call', kind: 'mqtt-client', promise: true },
  { modules: ['pg'], names: ['Client'], via: 'new', kind: 'db-client' },
  // @neondatabase/serverless: pg's `Client` and `Pool` over a WebSocket to Neon's proxy, with pg's API and lifecycle;
  // in an edge function the WebSocket cannot outlive the request, so one per request is the driver's documented shape.
  { modules: ['@neondatabase/serverless'], names: ['Client'], via: 'new', kind: 'db-client', perRequestAtTheEdge: true },
  { modules: ['@neondatabase/serverless'], names: ['Pool'], via: 'new', kind: 'pool', perRequestAtTheEdge: true },
  // tedious (SQL Server): `connect()` opens it (since v11; the constructor no longer does), `close()` ends it.
  { modules: ['tedious'], names: ['Connection'], via: 'new', kind: 'db-client', opensWith: ['connect'], fixCall: 'close()' },
  { modules: ['pg'], names: ['Pool'], via: 'new', kind: 'pool' },
  { modules: ['mysql', 'mysql2'], names: ['createConnection'], via: 'call', kind: 'db-client' },
  { modules: ['mysql2/promise'], names: ['createConnection'], via: 'call', kind: 'db-client', promise: true },
  { modules: MYSQL_MODULES, names: ['createPool', 'createPoolCluster'], via: 'call', kind: 'pool' },
  // MariaDB's connector: its promise API's createConnection() resolves once connected; the callback
  // API's returns the connection at once, connecting (lib: promise.js, callback.js).
  { modules: ['mariadb'], names: ['createConnection'], via: 'call', kind: 'db-client', promise: true },
  { modules: ['mariadb/callback'], names: ['createConnection'], via: 'call', kind: 'db-client' },
  { modules: ['mariadb', 'mariadb/callback'], names: ['createPool', 'createPoolCluster'], via: 'call', kind: 'pool' },
  // iovalkey: the Valkey project's fork of ioredis, the same client (connects when constructed).
  { modules: ['ioredis', 'iovalkey'], names: ['', 'default', 'Redis', 'Cluster'], via: 'new', kind: 'redis-client' },
  // `Redis.createClient()`: ioredis's static alias of `new Redis()` (built/Redis.js), connected at once.
  { modules: ['ioredis', 'iovalkey'], names: ['createClient', 'Redis.createClient', 'default.createClient'], via: 'call', kind: 'redis-client' },
  // node-redis v4 and later open no socket until `connect()` (v3, 2020, connected at once).
  { modules: ['redis'], names: ['createClient', 'createCluster'], via: 'call', kind: 'redis-client', fixCall: 'close()', returnsSelf: ['connect'], opensWith: ['connect'] },
  { modules: ['redis'], names: ['createClientPool'], via: 'call', kind: 'pool', fixCall: 'close()' },
  { modules: ['mongodb'], names: ['MongoClient'], via: 'new', kind: 'mongo-client', returnsSelf: ['connect'] },
  // `MongoClient.connect(url, opts, (err, client) => …)` (driver ≤ 4) hands the client to its callback and returns nothing.
  { modules: ['mongodb'], names: ['MongoClient.connect'], via: 'call', kind: 'mongo-client', promise: true, callbackParam: 1 },
  { modules: ['amqplib'], names: ['connect'], via: 'call', kind: 'amqp-connection', promise: true },
  { modules: ['amqplib/callback_api'], names: ['connect'], via: 'call', kind: 'amqp-connection', callbackParam: 1 },
  { modules: ['generic-pool'], names: ['createPool'], via: 'call', kind: 'pool', fixCall: 'clear()' },
  // A pooled SMTP transport keeps its connections open, idle or not, until `close()` (nodemailer's
  // smtp-pool); without `pool: true` each `sendMail` connects and disconnects by itself.
  { modules: ['nodemailer'], names: ['createTransport'], via: 'call', kind: 'pool', holdsOnlyWith: 'pool', fixCall: 'close()', madeForBatches: true },
  // Query builders and drivers that own a pool: connections are made on first use and kept until
  // `knex.destroy()` / `sql.end()` (postgres.js closes idle ones only with `idle_timeout`, off by default).
  { modules: ['knex'], names: ['', 'default', 'knex', 'Knex'], via: 'call', kind: 'pool', fixCall: 'destroy()', holdsOnlyNaming: ['connection'] },
  { modules: ['postgres'], names: ['', 'default'], via: 'call', kind: 'pool' },
  // The Elasticsearch and OpenSearch clients keep a keep-alive connection pool per node until `close()`
  // (HTTP_POOL_CLIENT_MODULES: idle sockets are unref'd and time out, like an agent's).
  { modules: ['@elastic/elasticsearch', '@opensearch-project/opensearch'], names: ['Client'], via: 'new', kind: 'pool', fixCall: 'close()' },
  // AWS SDK v3 clients: each makes its own keep-alive https.Agent (@smithy/node-http-handler, 50 sockets) and
  // holds it until `destroy()`; AWS's guidance is one client made once (outside a Lambda's handler), shared.
  { modules: Object.keys(AWS_CLIENTS), names: Object.values(AWS_CLIENTS).flat(), via: 'new', kind: 'pool', fixCall: 'destroy()' },
  // @clickhouse/client (Node): `createClient(o)` makes its own keep-alive `http.Agent` (idle sockets dropped after
  // `keep_alive.idle_socket_ttl`, 2.5 s) and holds it until `close()`, which destroys the agent.
  { modules: ['@clickhouse/client'], names: ['createClient'], via: 'call', kind: 'pool', fixCall: 'close()' },
  // mongoose: a connection of its own (a MongoClient and its pool); `asPromise()` resolves to it.
  { modules: ['mongoose'], names: ['createConnection'], via: 'call', kind: 'mongo-client', returnsSelf: ['asPromise'], needsArgument: true },
  // The default connection, `mongoose.connection`: `connect(uri)` opens it, `disconnect()` closes it (lib/mongoose.js).
  { modules: ['mongoose'], names: ['connect', 'default.connect'], via: 'call', kind: 'mongo-client', fixCall: 'disconnect()', moduleState: true, needsArgument: true },
  // `mongoose.startSession()` resolves to the driver's ClientSession, of the default connection's client.
  { modules: ['mongoose'], names: ['startSession', 'default.startSession', 'connection.startSession', 'default.connection.startSession'], via: 'call', kind: 'mongo-session', promise: true },
  // BullMQ: each queue, worker or event listener opens its own ioredis connection and holds it until
  // `close()`. A queue may be given an existing client instead; a worker and `QueueEvents` block on
  // Redis, so they always open one of their own: a worker given a client duplicates it for its blocking
  // fetch (src/utils/create-backend.ts: `duplicate()`, `shared: false`), closed only by its `close()`
  // (BullMQ docs, "Connections").
  {
    modules: ['bullmq'], names: ['Queue', 'FlowProducer'], via: 'new', kind: 'redis-client', fixCall: 'close()',
    reusesClientIn: 'connection',
  },
  { modules: ['bullmq'], names: ['Worker'], via: 'new', kind: 'redis-client', fixCall: 'close()', borrowsClientIn: 'connection' },
  { modules: ['bullmq'], names: ['QueueEvents'], via: 'new', kind: 'redis-client', fixCall: 'close()' },
  // Bull (v3/v4, BullMQ's predecessor): a queue, made with or without `new`, opens its Redis clients as it
  // is made and holds them until `close()`. Bee-Queue connects at construction (`autoConnect`), and leaves a
  // client it is given in `redis` open at `close()` (lib/queue.js `quitCommandClient`).
  { modules: ['bull'], names: ['', 'default'], via: 'any', kind: 'redis-client', fixCall: 'close()' },
  { modules: ['bee-queue'], names: ['', 'default'], via: 'new', kind: 'redis-client', fixCall: 'close()', reusesClientIn: 'redis' },
  { modules: ['nats', '@nats-io/transport-node'], names: ['connect'], via: 'call', kind: 'nats-connection', promise: true },
  // Sequelize: an instance owns a connection pool (made on first query, `pool.max` 5 by default) until
  // `close()`; SQLite (`'sqlite::memory:'`, `dialect: 'sqlite'`) opens a file, not a connection.
  { modules: ['sequelize'], names: ['Sequelize', '', 'default'], via: 'new', kind: 'pool', fixCall: 'close()', localWith: /^sqlite/ },
  // Prisma: each `PrismaClient` runs its own query engine with a connection pool of its own (opened on the first query,
  // num_physical_cpus * 2 + 1 connections for SQL databases), kept until `$disconnect()`; Prisma's guidance is one
  // instance per process (docs: "The number of PrismaClient instances matters").
  {
    modules: ['@prisma/client'], names: ['PrismaClient'], via: 'new', kind: 'pool', fixCall: '$disconnect()',
    symptom: 'Its query engine keeps a connection pool of its own open until `$disconnect()`: every client made and dropped adds a pool, until the database refuses connections.',
  },
  // TypeORM: a `DataSource` opens its driver's pool at `initialize()` (which resolves to the data source)
  // and holds it until `destroy()`; the older `createConnection(o)` resolves to one already connected,
  // closed by `close()`. SQLite (`type: 'sqlite'`, `'better-sqlite3'`) opens a file, not a connection.
  {
    modules: ['typeorm'], names: ['DataSource'], via: 'new', kind: 'pool', opensWith: ['initialize', 'connect'], returnsSelf: ['initialize', 'connect'],
    fixCall: 'destroy()', localWith: /sqlite|sqljs|capacitor|cordova|expo|nativescript|react-native/,
  },
  { modules: ['typeorm'], names: ['createConnection'], via: 'call', kind: 'pool', promise: true, fixCall: 'close()', localWith: /sqlite|sqljs/ },
  // mssql: a `ConnectionPool` opens its connections at `connect()` and holds them until `close()`. The
  // module's own `sql.connect(config)` makes the global pool, shared by the process: not listed.
  { modules: ['mssql'], names: ['ConnectionPool'], via: 'new', kind: 'pool', opensWith: ['connect'], returnsSelf: ['connect'], fixCall: 'close()' },
  // mssql: `new sql.Transaction(pool)` takes a connection of the pool at `begin()` and gives it back at
  // `commit()` or `rollback()` (lib/base/transaction.js: `_begin` acquires it, `_commit`/`_rollback` release it).
  { modules: ['mssql'], names: ['Transaction'], via: 'new', kind: 'pool-checkout', opensWith: ['begin'], returnsSelf: ['begin'], fixCall: 'rollback()' },
  // mssql: `new sql.PreparedStatement(pool)` reserves a connection of the pool at `prepare()` until `unprepare()`
  // (lib/base/prepared-statement.js: `_prepare` acquires it and gives it back only when `sp_prepare` fails).
  { modules: ['mssql'], names: ['PreparedStatement'], via: 'new', kind: 'pool-checkout', opensWith: ['prepare'], returnsSelf: ['prepare'], fixCall: 'unprepare()' },
  // @grpc/grpc-js: a `Server` listens from `bindAsync()` until `tryShutdown()` or `forceShutdown()`;
  // `addService()` gives it its handlers, so one that has them serves for the process.
  {
    modules: ['@grpc/grpc-js'], names: ['Server'], via: 'new', kind: 'server', opensWith: ['bindAsync', 'bind'], fixCall: 'forceShutdown()',
    handlerMethods: ['addService'],
  },
  // cassandra-driver: a `Client` opens its control connection and a pool per host at `connect()` or its
  // first query, reconnects while open, and closes them all at `shutdown()`.
  {
    modules: ['cassandra-driver'], names: ['Client'], via: 'new', kind: 'db-client', fixCall: 'shutdown()',
    opensWith: ['connect', 'execute', 'batch', 'eachRow', 'stream'], symptom: CASSANDRA_CLIENT,
  },
  // chrome-remote-interface: `await CDP({ port })` resolves once its DevTools WebSocket is open; `close()` closes it.
  { modules: ['chrome-remote-interface'], names: ['', 'default'], via: 'call', kind: 'websocket', promise: true, symptom: BROWSER_SOCKET },
];

/**
 * Methods of an Express or Koa app that return the app (`app.get('/', h).listen(port)` listens on it);
 * `app.get(name)` and `app.set(name)` with one argument read a setting instead.
 */
export const APP_CHAIN_METHODS = new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head', 'set', 'enable', 'disable', 'engine', 'param']);
export const APP_MODULES = new Set(['express', 'koa']);

/**
 * Calls that return the module's own API configured anew (`got.extend(o)`): their results are the
 * module; so are values of the type the module gives them (`Got`). (axios instances are method-creators.ts receivers: their own defaults count.)
 */
const MODULE_CLONES: Record<string, string[]> = { got: ['extend', 'Got'] };
/** The members of those modules that make a resource (`stream` of got), looked up on values typed as the module. */
export const CLONED_MEMBERS: ReadonlySet<string> = new Set(CREATORS.filter((c) => c.modules.some((m) => m in MODULE_CLONES)).flatMap((c) => c.names.filter((n) => !n.includes('.'))));

/** The module itself for a call of one of its cloning functions (`const http = got.extend(o); http.stream(u)` is `got.stream`), or its type. */
export function moduleClone(o: { module: string; path: string[] }): { module: string; path: string[]; instance: false } | undefined {
  return o.path.length === 1 && MODULE_CLONES[o.module]?.includes(o.path[0]) ? { module: o.module, path: [], instance: false } : undefined;
}

/**
 * Modules whose response is an IncomingMessage: even a HEAD response must be read (or resumed) before
 * its socket goes back to the agent, since the client frees it on 'end', which an unread message never
 * emits (node-socket-semantics.md; checked on Node 20). A fetch Response to HEAD has no body to hold.
 */
export const INCOMING_MESSAGE_MODULES = new Set(['http', 'https', '@hapi/wreck']);
/** Libraries whose response is the body stream itself (`got.stream()`, minio's `getObject()`): one given up on is destroyed, not drained. */
export const STREAM_RESPONSE_MODULES = new Set(['got', 'minio']);

/**
 * Library functions that read a stream they are given to its end: `Wreck.read(res)`, node's
 * `stream/consumers` (`await text(res)`), raw-body's `getRawBody(res)`, get-stream's `getStream(res)`.
 */
const STREAM_READERS: Record<string, string[]> = {
  '@hapi/wreck': ['read'],
  'stream/consumers': ['text', 'json', 'buffer', 'arrayBuffer', 'blob'],
  'raw-body': ['', 'default'],
  'get-stream': ['', 'default', 'getStreamAsBuffer', 'getStreamAsArrayBuffer', 'getStreamAsArray', 'buffer'],
};

export function readsStreamToEnd(o: { module: string; path: string[]; instance: boolean } | undefined): boolean {
  return !!o && !o.instance && !!STREAM_READERS[o.module]?.includes(o.path.join('.'));
}

/** Calls on another object that release the resource handed to them (`pool.release(conn)`, `pipeline(res, file)`). */
// knex's `db.client.releaseConnection(conn)` (and mysql's `pool.releaseConnection(conn)`) gives a connection back to its pool.
export const RELEASING_CALLS = new Set(['release', 'destroy', 'pipeline', 'finished', 'releaseConnection']);

/**
 * Library methods that throw on input they reject, by module: zod's `schema.parse(input)` throws a
 * ZodError (`safeParse()` returns the failure instead). Between a creation and its `try`, such a call is an exit.
 */
export const THROWING_METHODS: Record<string, string[]> = { zod: ['parse'] };
/** Methods of a Koa context (a handler's `ctx`, untyped) that throw an HTTP error: `ctx.throw(404)`, `ctx.assert(v, 400)`. */
export const CONTEXT_THROWS = { receivers: ['ctx', 'context'], methods: ['throw', 'assert'] };

/**
 * Constructors that work on the connection they are given and leave it to its owner: mssql's `new sql.Request(tx)`
 * queries in the transaction, and `new sql.Transaction(pool)` takes one of the pool's connections, not the pool.
 */
export const BORROWING_CONSTRUCTORS: Record<string, string[]> = { mssql: ['Request', 'PreparedStatement', 'Transaction'] };

/** A constructor of BORROWING_CONSTRUCTORS (`new sql.Request(tx)`), given the origin of what is constructed. */
export function borrowsConnection(o: { module: string; path: readonly string[]; instance?: boolean } | undefined): boolean {
  return !!o && !o.instance && !!BORROWING_CONSTRUCTORS[o.module]?.includes(o.path.join('.'));
}

/**
 * `new Queue(name, { connection: redis })` of BullMQ: the option through which a creator is given a
 * client it uses and leaves to its owner (CreatorSpec.reusesClientIn, borrowsClientIn: BullMQ marks it shared and does not
 * quit it in close()). The creator is named by its module and export.
 */
export function lendsClientOption(module: string, exportName: string | undefined, option: string | undefined): boolean {
  return !!option && CREATORS.some((c) => (c.reusesClientIn === option || c.borrowsClientIn === option) && c.modules.includes(module) && c.names.includes(exportName ?? ''));
}

/**
 * Closing the object that made it closes it too: an AMQP connection closes its channels, and a mysql or
 * mysql2 pool's `end()` ends every connection, checked out or not (mysqljs `Pool.end` and mysql2
 * `BasePool.end` loop over all of them). pg's `pool.end()` waits for checked-out clients instead.
 */
export function closedWithItsMaker(kind: ResourceKind, module: string | undefined): boolean {
  return kind === 'amqp-channel' || (kind === 'pool-checkout' && MYSQL_MODULES.includes(module ?? ''));
}

/**
 * Servers that take over the HTTP server they are made with and close it in their own `close()`:
 * Socket.IO's `new Server(httpServer)` (or `require('socket.io')(httpServer)`) keeps it as `httpServer`
 * (lib/index.ts `initEngine`), and `io.close()` ends with `this.httpServer.close()`. ws's
 * WebSocketServer and engine.io's `attach` do not: closing them leaves the HTTP server listening.
 */
export const HTTP_SERVER_OWNERS: Array<{ modules: string[]; names: string[] }> = [
  { modules: ['socket.io'], names: ['', 'default', 'Server'] },
];

/**
 * Servers of libraries whose stop destroys every connection they accepted: mockttp's `stop()` destroys its
 * destroyable-server (`src/server/mockttp-server.ts`), a remote one's asks its admin server to do the same;
 * hapi's `stop({ timeout })` ends idle connections and destroys the rest once `timeout` (5 s) has passed
 * (`lib/core.js` `_unlisten`), unless made with `operations: { cleanStop: false }` (`keptWith`). A test
 * client of a suite (or a test) that stops one is closed by its peer.
 */
export const SUITE_DROPPING_SERVERS: Array<{ modules: string[]; names: string[]; stop: string; keptWith?: RegExp }> = [
  { modules: ['mockttp'], names: ['getLocal', 'getRemote'], stop: 'stop' },
  { modules: ['@hapi/hapi', 'hapi'], names: ['server', 'Server'], stop: 'stop', keptWith: /\bcleanStop\s*:\s*false\b/ },
];

/**
 * Methods whose value keeps the connection it is made from, so handing it on hands the connection on: an
 * amqplib channel holds `ch.connection`, a MongoDB `Db` (`client.db(name)`) and session (`startSession()`) their client.
 */
export const HANDLES_KEEPING_CONNECTION = new Set(['createChannel', 'createConfirmChannel', 'db', 'startSession']);

/**
 * Modules that export drop-in replacements of Node's own: follow-redirects' `http` and `https` have their
 * `request()`/`get()` and hand the callback the last hop's own IncomingMessage (it destroys the responses
 * of the redirects it follows itself: index.js `_processResponse`).
 */
const DROP_IN_MODULES: Record<string, ReadonlySet<string>> = { 'follow-redirects': new Set(['http', 'https']) };

/** `require('follow-redirects').https` is `https`. */
export function asNodeModule<T extends { module: string; path: string[]; instance: boolean }>(o: T | undefined): T | undefined {
  const own = o && !o.instance && o.path.length >= 1 ? DROP_IN_MODULES[o.module] : undefined;
  return o && own?.has(o.path[0]) ? { ...o, module: o.path[0], path: o.path.slice(1) } : o;
}

/** Node builtins may be imported with the `node:` scheme. */
export function normalizeModule(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

/** Option keys through which a request or client uses an agent/dispatcher. */
export const AGENT_KEYS = new Set(['agent', 'dispatcher', 'httpAgent', 'httpsAgent']);
/** got's per-protocol agents: `agent: { http, https, http2 }`. */
export const GOT_AGENT_KEYS = new Set(['http', 'https', 'http2']);

/** Modules the catalog knows, so that files importing none of them can be skipped fast. */
export const KNOWN_MODULES = new Set<string>([
  ...Object.keys(DROP_IN_MODULES),
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
