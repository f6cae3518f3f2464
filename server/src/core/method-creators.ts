// Methods called on a library's object that check out or create a connection (`pool.connect()`,
// `kafka.producer()`, `req.on('response', cb)`); catalog.ts holds the constructors and module functions.
import type { ResourceKind } from './kinds';
import { H2_STREAM, S3_OBJECT_BODY, UNDICI_BODY } from './symptoms';

/** A method called on an instance (of a creator or of a declared type) that checks out or creates. */
export interface MethodCreatorSpec {
  /** The receiver: instance of one of these `module:Name` (creator or declared type names). */
  receivers: string[];
  methods: string[];
  kind: ResourceKind;
  callbackParam?: number;
  /** Overrides the kind's release call in fixes (and adds its method to the releases: kinds.ts `releaseMethods`). */
  fixCall?: string;
  /** What a leak costs, when it differs from the kind's. */
  symptom?: string;
  /** The resource is this property of the call's result (`acquire().promise` in tarn). */
  through?: string;
  /**
   * Receivers whose name matches this pattern count when nothing says what they are, but only in a
   * file that loads one of the receivers' modules: a `pool` of type `any` elsewhere may be anything.
   */
  receiverNamePattern?: RegExp;
  /** Of such a receiver of unknown type, not a call whose first argument is a string (Redis's `conn.watch(key)`, not a pipeline). */
  notWithStringFirst?: boolean;
  /**
   * Nothing is open until one of these methods is called on the result (kafkajs `producer()` then `connect()`); `p.m` names a
   * method of its property `p` (TypeORM's `runner.manager.findOne(…)`).
   */
  opensWith?: string[];
  /** The method takes arguments: a call without any is another library's (`pool.request()` of mssql, a query builder). */
  needsArgument?: boolean;
  /** A failed opening call leaves it open (CreatorSpec.openerFailsOpen: a query that fails after its connect). */
  openerFailsOpen?: string[];
  /**
   * Methods of the result that reject only when its connection has broken (TypeORM's `startTransaction()` on a runner
   * that is connected, or that it connects itself): their `await` is no path of the code's work.
   */
  failsWhenBroken?: string[];
  /** Not of a receiver its function makes itself: what it makes ends with that one (an HTTP/2 stream of a session made there). */
  sharedReceiverOnly?: boolean;
  /** Reported where it is made, not at its opening call (a TypeORM query runner: `createQueryRunner()` is what its users see as the checkout). */
  reportAtCreation?: boolean;
  /** A creator only with this option in its arguments (`responseType: 'stream'` on an axios instance). */
  onlyWithOption?: [string, string];
  /** The property of the result that holds the body, when not `body` (`data` for axios). */
  bodyProperty?: string;
  /** A listener registration (`on`/`once`): the event whose listener receives the resource. */
  event?: string;
  /** The callback's first parameter is a result (the CONNECT response), not an error. */
  resultFirst?: boolean;
  /** Methods of the result that return it or a promise of it (CreatorSpec.returnsSelf). */
  returnsSelf?: string[];
  /** Only when the first argument is a command of these names, of the receiver's module (`new GetObjectCommand(…)`). */
  onlyWithCommand?: string[];
}

/**
 * A TypeORM runner's statements: its own `query()`, and the queries of its `manager` (`runner.manager.findOne(…)` runs
 * through the runner, which connects first: EntityManager's methods call `queryRunner.query()`). Not `create()`, which builds an entity.
 */
const TYPEORM_MANAGER_QUERIES = ['find', 'findOne', 'findOneBy', 'findOneOrFail', 'findBy', 'findAndCount', 'count', 'exists', 'save',
  'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'restore', 'increment', 'decrement', 'query'];
const TYPEORM_RUNNER_QUERIES = ['query', ...TYPEORM_MANAGER_QUERIES.map((m) => `manager.${m}`)];

export const METHOD_CREATORS: MethodCreatorSpec[] = [
  {
    // `fastify.pg.connect()`: @fastify/postgres decorates the app with its pg Pool as `pg`.
    receivers: ['pg:Pool', '@neondatabase/serverless:Pool'], methods: ['connect'], kind: 'pool-checkout', callbackParam: 1,
    receiverNamePattern: /pool$|^pg$/i,
  },
  {
    receivers: ['mysql:createPool', 'mysql2:createPool', 'mysql2/promise:createPool', 'mysql:Pool', 'mysql2:Pool',
      'mysql2/promise:Pool', 'mysql:createPoolCluster', 'mysql2:createPoolCluster', 'mysql2:PoolCluster', 'mysql:PoolCluster'],
    methods: ['getConnection'], kind: 'pool-checkout', callbackParam: 1, receiverNamePattern: /pool/i,
  },
  {
    // mariadb: `await pool.getConnection()` (promise API) or `pool.getConnection((err, conn) => …)`; `release()` gives it back.
    receivers: ['mariadb:createPool', 'mariadb/callback:createPool', 'mariadb:createPoolCluster', 'mariadb/callback:createPoolCluster',
      'mariadb:Pool', 'mariadb/callback:Pool', 'mariadb:PoolCluster', 'mariadb/callback:PoolCluster'],
    methods: ['getConnection'], kind: 'pool-checkout', callbackParam: 1, receiverNamePattern: /pool|cluster/i,
  },
  {
    receivers: ['generic-pool:createPool', 'generic-pool:Pool'], methods: ['acquire'], kind: 'pool-checkout',
    receiverNamePattern: /pool$/i,
  },
  // TypeORM: a query runner takes a connection of the pool at its `connect()` and keeps it until
  // `release()` (src/driver/postgres/PostgresQueryRunner.ts `connect` → `obtainMasterConnection`); its
  // `query()` and `stream()` call `connect()` first (so does `startTransaction()`, through `query()`).
  // A statement that fails keeps the connection; `stream()` rejects only when it cannot connect (the
  // query's own errors come later, as the stream's `'error'`).
  {
    receivers: ['typeorm:DataSource', 'typeorm:Connection'], methods: ['createQueryRunner'], kind: 'pool-checkout', reportAtCreation: true,
    opensWith: ['connect', 'stream', 'startTransaction', ...TYPEORM_RUNNER_QUERIES], openerFailsOpen: TYPEORM_MANAGER_QUERIES,
    // On a working connection START TRANSACTION fails only when a subscriber of the project throws, so TypeORM's own
    // documentation (transactions, "Using QueryRunner") starts it before the `try` that releases the runner.
    failsWhenBroken: ['startTransaction'],
    receiverNamePattern: /data_?source$|connection$/i,
  },
  // knex: `await db.transaction()` (no handler) holds a connection of the pool until `trx.commit()` or
  // `trx.rollback()`; given a handler, knex commits or rolls back when its promise settles (not followed). Untyped, in a
  // package that depends on knex: one named for the database it is (`app.db.transaction()` of a fastify decorator).
  {
    receivers: ['knex:', 'knex:default', 'knex:knex', 'knex:Knex'], methods: ['transaction'], kind: 'pool-checkout', fixCall: 'rollback()',
    receiverNamePattern: /^(db|knex|database)$/i, notWithStringFirst: true,
  },
  // knex: `await db.client.acquireConnection()` takes a raw connection of its pool (tarn) for the caller alone until
  // `db.client.releaseConnection(conn)` (lib/client.js); an advisory lock held on it is the usual reason.
  { receivers: ['knex:client', 'knex:Client'], methods: ['acquireConnection'], kind: 'pool-checkout', receiverNamePattern: /^client$/ },
  // mssql: `pool.transaction()` is `new Transaction(pool)` (lib/base/connection-pool.js), which takes a
  // connection at `begin()` (resolving to the transaction itself) until `commit()` or `rollback()`.
  {
    receivers: ['mssql:ConnectionPool', 'mssql:connect'], methods: ['transaction'], kind: 'pool-checkout', fixCall: 'rollback()',
    opensWith: ['begin'], returnsSelf: ['begin'], receiverNamePattern: /pool$/i,
  },
  // postgres.js: `await sql.reserve()` takes a connection of the pool for the caller alone until
  // `reserved.release()` (src/index.js `reserve`); `sql.begin(fn)` ends its own.
  { receivers: ['postgres:', 'postgres:default'], methods: ['reserve'], kind: 'pool-checkout' },
  // Sequelize: `await sequelize.transaction()` without a handler (an unmanaged transaction) holds a pooled
  // connection until `t.commit()` or `t.rollback()`; given a handler, Sequelize ends it itself.
  { receivers: ['sequelize:Sequelize', 'sequelize:', 'sequelize:default'], methods: ['transaction'], kind: 'pool-checkout', fixCall: 'rollback()' },
  // tarn (knex's pool): `pool.acquire()` returns a pending operation whose `.promise` is the resource.
  { receivers: ['tarn:Pool'], methods: ['acquire'], kind: 'pool-checkout', through: 'promise' },
  { receivers: ['ioredis:', 'ioredis:default', 'ioredis:Redis', 'ioredis:Cluster', 'iovalkey:', 'iovalkey:default', 'iovalkey:Redis', 'iovalkey:Cluster', 'redis:createClient', 'redis:RedisClientType', 'redis:RedisClusterType'], methods: ['duplicate'], kind: 'redis-client',
    // Untyped, in a package that depends on a Redis client: a receiver named for Redis or for its pub/sub role
    // (`publisher.duplicate()`, `subClient`, `conn`); no other client of the catalog's modules has a `duplicate()`.
    receiverNamePattern: /redis|valkey|pub|sub|client|conn/i },
  // amqplib: a channel on a connection; closing the connection closes its channels, closing a channel
  // leaves the connection open.
  {
    receivers: ['amqplib:connect', 'amqplib:Connection', 'amqplib:ChannelModel'], methods: ['createChannel', 'createConfirmChannel'],
    kind: 'amqp-channel', receiverNamePattern: /^(conn|connection|amqpConn|amqpConnection)$/i,
  },
  // mongodb: an explicit session must be ended (`withSession`/`withTransaction` end theirs). Mongoose's
  // `startSession()` resolves to the driver's own ClientSession. Untyped, a client named like one
  // (`client`, `mongoClient`, `conn`) in a package that depends on either.
  {
    receivers: ['mongodb:MongoClient', 'mongodb:connect', 'mongodb:MongoClient.connect', 'mongoose:createConnection', 'mongoose:Connection', 'mongoose:Mongoose'],
    methods: ['startSession'], kind: 'mongo-session', receiverNamePattern: /mongo|client$|^(conn|connection|db)$/i,
  },
  // mongodb: `collection.watch(pipeline)` (also of a Db or a MongoClient) opens a change stream, a cursor read until `close()`.
  {
    receivers: ['mongodb:Collection', 'mongodb:collection', 'mongodb:Db', 'mongodb:db', 'mongodb:MongoClient', 'mongodb:connect', 'mongodb:MongoClient.connect'],
    // Untyped, any receiver (a collection is named for what it holds: `units.watch(pipeline)`) in a package that uses the driver.
    methods: ['watch'], kind: 'change-stream', receiverNamePattern: /./, notWithStringFirst: true,
  },
  // kafkajs: `kafka.producer()` / `consumer()` / `admin()` make a client that connects in `connect()`
  // and holds its broker connections until `disconnect()`.
  { receivers: ['kafkajs:Kafka'], methods: ['producer', 'consumer', 'admin'], kind: 'broker-client', opensWith: ['connect'], receiverNamePattern: /^kafka$/i },
  // `app.listen(port)` of an Express or Koa app returns the http.Server it starts.
  { receivers: ['express:', 'express:default', 'koa:', 'koa:default', 'koa:Koa'], methods: ['listen'], kind: 'server' },
  { receivers: ['http:request', 'https:request', 'http:get', 'https:get', 'http:ClientRequest'], methods: ['on', 'once'], event: 'response', kind: 'response', callbackParam: 0 },
  // `session.request(headers)` of an HTTP/2 client session: the stream it returns is the response body too, open until
  // it is read to its end, closed or destroyed (`req.end()` only ends the request side). Of a session made in the same
  // function, the session's own close (or its finding) covers its streams.
  { receivers: ['http2:connect', 'http2:ClientHttp2Session'], methods: ['request'], kind: 'response', symptom: H2_STREAM, fixCall: 'close()', sharedReceiverOnly: true },
  // A CONNECT request's `'connect'` listener gets `(res, socket, head)`: the tunnel's raw socket is the
  // listener's to use or destroy, whatever the proxy answered (http.md § Event: 'connect').
  { receivers: ['http:request', 'https:request', 'http:ClientRequest'], methods: ['on', 'once'], event: 'connect', kind: 'socket', callbackParam: 1, resultFirst: true },
  // A client of `Wreck.defaults(…)` requests like Wreck itself.
  { receivers: ['@hapi/wreck:defaults'], methods: ['request'], kind: 'response' },
  // An axios instance (`axios.create(…)`) streams like axios itself when asked to.
  {
    receivers: ['axios:create', 'axios:AxiosInstance', 'axios:Axios'], methods: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'],
    kind: 'response', onlyWithOption: ['responseType', 'stream'], bodyProperty: 'data',
  },
  // `client.request(opts)` of an undici dispatcher resolves to `{ statusCode, body }` (promise form only).
  {
    receivers: ['undici:Client', 'undici:Pool', 'undici:Agent', 'undici:BalancedPool', 'undici:ProxyAgent', 'undici:Dispatcher'],
    methods: ['request'], kind: 'response', symptom: UNDICI_BODY, needsArgument: true,
    // `const pool = this.pools.get(origin)` in a package that depends on undici: a pool per origin.
    receiverNamePattern: /pool$/i,
  },
  // @clickhouse/client (Node): `exec()` resolves to `{ stream, query_id }`, the HTTP response itself, which the
  // caller must read or destroy before its keep-alive socket goes back to the client's agent (`command()` and
  // `insert()` drain theirs: connection/stream.ts `drainStream`).
  { receivers: ['@clickhouse/client:createClient'], methods: ['exec'], kind: 'response', bodyProperty: 'stream' },
  // `query()` resolves to a ResultSet over that response (client-node result_set.ts): its `json()`, `text()` or
  // `stream()` read it, its `close()` destroys it; left alone, the socket stays with it.
  { receivers: ['@clickhouse/client:createClient'], methods: ['query'], kind: 'response', fixCall: 'close()' },
  // @actions/http-client: `get`/`post`/`sendStream`/… resolve to an HttpClientResponse whose `message` is
  // the IncomingMessage, read by `readBody()` (`getJson`/`postJson` read it themselves; src/index.ts).
  {
    receivers: ['@actions/http-client:HttpClient'], methods: ['get', 'post', 'put', 'patch', 'del', 'head', 'options', 'request', 'sendStream'],
    kind: 'response', bodyProperty: 'message',
  },
  // `const { socket } = await pool.connect({ path })`: a CONNECT tunnel (or an upgrade) through a
  // dispatcher hands over a raw socket, the caller's to close.
  {
    receivers: ['undici:Client', 'undici:Pool', 'undici:Agent', 'undici:BalancedPool', 'undici:ProxyAgent', 'undici:Dispatcher'],
    methods: ['connect', 'upgrade'], kind: 'socket', through: 'socket',
  },
  // AWS SDK v3: `await s3.send(new GetObjectCommand(…))` and the aggregated client's `s3.getObject(…)`
  // resolve with `Body`, the response stream itself: unread, it holds one of the client's sockets.
  {
    receivers: ['@aws-sdk/client-s3:S3Client', '@aws-sdk/client-s3:S3'], methods: ['send'], onlyWithCommand: ['GetObjectCommand'],
    kind: 'response', bodyProperty: 'Body', symptom: S3_OBJECT_BODY,
  },
  { receivers: ['@aws-sdk/client-s3:S3'], methods: ['getObject'], kind: 'response', bodyProperty: 'Body', symptom: S3_OBJECT_BODY },
  // minio: `getObject()`/`getPartialObject()` resolve to the HTTP response itself, the object's stream
  // (src/internal/client.ts: the IncomingMessage of a request over its `transportAgent`, Node's global
  // keep-alive agent by default): unread, it holds its socket. Its callback form (v7) is not followed.
  { receivers: ['minio:Client'], methods: ['getObject', 'getPartialObject'], kind: 'response', receiverNamePattern: /minio/i },
  // aws4fetch: `aws.fetch(url, init)` signs the request and resolves to the fetch Response itself (README: "`res` is a
  // standard Response object"), whose body the caller must read or cancel.
  { receivers: ['aws4fetch:AwsClient'], methods: ['fetch'], kind: 'response', symptom: UNDICI_BODY },
];
