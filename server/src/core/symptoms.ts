// What a leak costs where it differs from its kind's message (kinds.ts): shared by the creators of
// catalog.ts and method-creators.ts.

/** What a browser connection left open costs (puppeteer, Playwright). */
export const BROWSER_SOCKET = "The DevTools WebSocket to the browser stays open, with the browser's session (a remote browser service counts it against its concurrency), and keeps the process alive.";

/**
 * undici (global `fetch`, `undici.request`) reads a small body into memory and frees the connection
 * anyway; a body larger than its buffer (64 KiB) pauses the parser and holds the connection, and
 * `bodyTimeout` does not fire while paused (node-socket-semantics.md §5). Either way undici's rule is
 * to consume or cancel every body; garbage collection cancels it only eventually.
 */
export const UNDICI_BODY = 'Until garbage collection cancels it, a body larger than undici\'s 64 KiB buffer holds its connection out of the pool (CLOSE_WAIT once the server closes it); undici requires every body to be consumed or cancelled.';

/** An IncomingMessage over a Unix-domain socket (`socketPath`): no TCP state, but the socket and its descriptor stay held. */
export const UNIX_SOCKET_BODY = 'Its socket never goes back to the agent (with `maxSockets`, later requests wait for it), and a body larger than the stream\'s buffer stops it being read: the Unix-domain socket and its file descriptor stay open (a process that leaves many runs out of descriptors: EMFILE).';

/**
 * AWS SDK v3 S3 `GetObject`: `Body` is the IncomingMessage itself (@smithy/node-http-handler; streaming
 * payloads are not read by the deserializer), so its socket stays out of the client's agent, 50 sockets
 * by default, until the body is read or destroyed (aws-sdk-js-v3#6691).
 */
export const S3_OBJECT_BODY = 'Its socket stays out of the S3 client\'s pool (50 sockets by default) until the body is read or destroyed; once every socket is held, each later request of that client waits for good ("socket usage at capacity"), and a body left unread stops its socket being read (CLOSE_WAIT once S3 closes it).';

/** A connection of a server made with `allowHalfOpen: true`: Node does not end it when the client does (node-socket-semantics.md §4). */
export const HALF_OPEN_ACCEPTED = 'With `allowHalfOpen: true`, Node does not end it when the client does: a client that closes (its FIN, the \'end\' event) on this path leaves it in CLOSE_WAIT until the process exits; end it in its \'end\' listener.';

// cassandra-driver: no max_connections to run into; the client reconnects while open (catalog.ts).
export const CASSANDRA_CLIENT = 'Its control connection and its connection pool to every node of the cluster stay open, reconnecting when dropped, and keep the process alive until `shutdown()`.';

/** A checkout of a pool the same function made (and never ends): nothing else waits on that pool, but the connection stays open. */
export const OWN_POOL_CHECKOUT = 'The connection stays checked out of a pool this function made for itself, and open on the server (a pool that keeps a checked-out connection never closes it as idle), one more each time this path is taken.';

/**
 * An HTTP/2 client stream (`session.request()`) is the response body too: until it is read to its end, closed or
 * destroyed it stays open on its session (node-socket-semantics.md, http2.connect), holding one of the concurrent
 * streams the server allows and, once its flow-control window fills, the rest of the body at the server.
 */
export const H2_STREAM = 'The stream stays open on its session: it holds one of the concurrent streams the server allows (often 100; once they are all held, every later request on the session waits), and a body larger than its flow-control window stays unsent at the server.';
