// The resources the fix generator creates: how each is made, used and released, in TypeScript and in
// JavaScript. The path checker (paths.ts) reads releases from here, not from the analyzer's catalog,
// so that it judges fixes independently.

export interface ResourceKind {
  id: string;
  /** Module-level lines the file needs (imports, a shared pool), TypeScript and CommonJS. */
  header: { ts: string[]; js: string[] };
  /** The creating expression; `n` makes it unique in the file. */
  make(n: number): string;
  /** The declared type, for `let r: T | undefined` (TypeScript). */
  type: string;
  /** A statement using `r` (may contain an `await` only when `awaits`). */
  use(r: string, n: number): string;
  /** A use that is safe when `r` may be unset. */
  guardedUse(r: string, n: number): string;
  /** The code's own release. */
  own(r: string): string;
  /** Method names (on `r` or `r.body`) that release it. */
  releases: string[];
  /** Releasing twice is harmless (sockets), or an error (a pooled connection released twice). */
  idempotent: boolean;
  /** The creation or its use needs an async function. */
  needsAsync: boolean;
  /** Its connect step, run after the creation (`await client.connect()`), if any. */
  connect?(r: string): string;
  /** An event a listener can wait for with `once`. */
  event?: string;
}

export const KINDS: ResourceKind[] = [
  {
    id: 'net',
    header: { ts: ["import * as net from 'net';"], js: ["const net = require('net');"] },
    make: (n) => `net.connect(p.port + ${n})`,
    type: 'net.Socket',
    use: (r, n) => `${r}.write('${n}');`,
    guardedUse: (r, n) => `${r}?.write('${n}');`,
    own: (r) => `${r}.end();`,
    releases: ['end', 'destroy', 'destroySoon', 'resetAndDestroy'],
    idempotent: true,
    needsAsync: false,
    event: 'data',
  },
  {
    id: 'tls',
    header: { ts: ["import * as tls from 'tls';"], js: ["const tls = require('tls');"] },
    make: (n) => `tls.connect({ host: p.host, port: ${n} })`,
    type: 'tls.TLSSocket',
    use: (r, n) => `${r}.setNoDelay(p.flags[${n % 4}]);`,
    guardedUse: (r, n) => `${r}?.setNoDelay(p.flags[${n % 4}]);`,
    own: (r) => `${r}.destroy();`,
    releases: ['end', 'destroy', 'destroySoon', 'resetAndDestroy'],
    idempotent: true,
    needsAsync: false,
    event: 'secureConnect',
  },
  {
    id: 'udp',
    header: { ts: ["import * as dgram from 'dgram';"], js: ["const dgram = require('dgram');"] },
    make: () => "dgram.createSocket('udp4')",
    type: 'dgram.Socket',
    use: (r, n) => `${r}.send('${n}', p.port, p.host);`,
    guardedUse: (r, n) => `${r}?.send('${n}', p.port, p.host);`,
    own: (r) => `${r}.close();`,
    releases: ['close'],
    idempotent: false,
    needsAsync: false,
    event: 'message',
  },
  {
    id: 'pool-checkout',
    header: { ts: ["import { Pool } from 'pg';", 'const pool = new Pool();'], js: ["const { Pool } = require('pg');", 'const pool = new Pool();'] },
    make: () => 'await pool.connect()',
    type: "import('pg').PoolClient",
    use: (r, n) => `await ${r}.query('select ${n}');`,
    guardedUse: (r, n) => `await ${r}?.query('select ${n}');`,
    own: (r) => `${r}.release();`,
    releases: ['release'],
    idempotent: false,
    needsAsync: true,
  },
  {
    id: 'pg-client',
    header: { ts: ["import { Client } from 'pg';"], js: ["const { Client } = require('pg');"] },
    make: () => 'new Client()',
    type: "import('pg').Client",
    use: (r, n) => `await ${r}.query('select ${n}');`,
    guardedUse: (r, n) => `await ${r}?.query('select ${n}');`,
    own: (r) => `await ${r}.end();`,
    releases: ['end'],
    idempotent: false,
    needsAsync: true,
    connect: (r) => `await ${r}.connect();`,
  },
  {
    id: 'ws',
    header: { ts: ["import WebSocket from 'ws';"], js: ["const WebSocket = require('ws');"] },
    make: (n) => `new WebSocket(p.url + '/${n}')`,
    type: "import('ws').default",
    use: (r, n) => `${r}.send('${n}');`,
    guardedUse: (r, n) => `${r}?.send('${n}');`,
    own: (r) => `${r}.close();`,
    releases: ['close', 'terminate'],
    idempotent: true,
    needsAsync: false,
    event: 'open',
  },
  {
    id: 'fetch',
    header: { ts: [], js: [] },
    make: (n) => `await fetch(p.url + '/${n}')`,
    type: 'Response',
    use: (r, n) => `console.log(${r}.status, ${n});`,
    guardedUse: (r, n) => `console.log(${r}?.status, ${n});`,
    own: (r) => `await ${r}.text();`,
    releases: ['text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData', 'cancel'],
    idempotent: false,
    needsAsync: true,
  },
  {
    id: 'mongo',
    header: { ts: ["import { MongoClient } from 'mongodb';"], js: ["const { MongoClient } = require('mongodb');"] },
    make: () => 'new MongoClient(p.url)',
    type: "import('mongodb').MongoClient",
    use: (r, n) => `await ${r}.db('d${n}').command({ ping: ${n} });`,
    guardedUse: (r, n) => `await ${r}?.db('d${n}').command({ ping: ${n} });`,
    own: (r) => `await ${r}.close();`,
    releases: ['close'],
    idempotent: true,
    needsAsync: true,
    connect: (r) => `await ${r}.connect();`,
  },
];

/** `pool.connect((err, client, done) => …)`: the resource arrives in a callback with its release function. */
export const CALLBACK_KIND: ResourceKind = {
  ...KINDS[3],
  id: 'pool-callback',
  make: () => 'pool.connect',
  use: (r, n) => `${r}.query('select ${n}');`,
  guardedUse: (r, n) => `${r}?.query('select ${n}');`,
  own: () => 'done();',
  needsAsync: false,
};

/**
 * Type declarations for the type check of generated files (the analyzer sees none of this): the
 * libraries' shapes as far as the generated code uses them, the parameter `p`, and JSX.
 */
export const PRELUDE = `
declare module 'pg' {
  export class PoolClient { query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>; release(err?: unknown): void; }
  export class Pool {
    connect(): Promise<PoolClient>;
    connect(cb: (err: Error | undefined, client: PoolClient | undefined, done: (err?: unknown) => void) => void): void;
    end(): Promise<void>;
  }
  export class Client { connect(): Promise<void>; query(sql: string): Promise<{ rows: unknown[] }>; end(): Promise<void>; }
}
declare module 'ws' {
  class WebSocket { constructor(url: string); send(data: string): void; close(): void; terminate(): void; on(e: string, f: (...a: any[]) => void): this; once(e: string, f: (...a: any[]) => void): this; }
  export default WebSocket;
}
declare module 'mongodb' {
  export class MongoClient {
    constructor(url: string); connect(): Promise<this>; close(): Promise<void>;
    db(name: string): { command(c: object): Promise<unknown> };
    [Symbol.asyncDispose](): Promise<void>;
  }
}
interface GenParams {
  port: number; host: string; url: string; flag: boolean; flags: boolean[]; items: string[]; kind: string;
  work(n: number): Promise<boolean>; stream: AsyncIterable<string>; keep(x: unknown): void;
}
declare namespace JSX { interface IntrinsicElements { [name: string]: any } type Element = unknown; }
`;
