// unreleased-pool-connection: a checkout kept in a field of a class (a dedicated pg client for LISTEN, held
// from start() to stop()). The class must release it somewhere, directly or through a local copy of the
// field; a copy that is only queried and tested (`const client = this.client; if (!client) return;
// await client.query('UNLISTEN *')`) releases nothing, and a copy handed to other code may be released there.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A LISTEN/NOTIFY listener on a pg pool's checkout; `stop` is the body of its stop() after the field is read. */
const LISTENER = (stop: string) => `
      import pg from 'pg';
      import { EventEmitter } from 'node:events';
      const pool = new pg.Pool({ max: 4 });
      export class ChangeListener extends EventEmitter {
        private client: pg.PoolClient | null = null;
        async start(channel: string): Promise<void> {
          this.client = await pool.connect();
          this.client.on('notification', (msg) => this.emit('change', msg.payload));
          await this.client.query('LISTEN ' + channel);
        }
        async stop(): Promise<void> {
          const client = this.client;
          if (!client) return;
          this.client = null;
          ${stop}
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a LISTEN checkout kept in a field, released through a local copy in stop()',
    code: LISTENER(`await client.query('UNLISTEN *');
          client.release();`),
  },
  {
    name: 'a LISTEN checkout kept in a field, whose local copy stop() hands to a helper of another module (it may release it)',
    code: LISTENER(`await unlistenAndRelease(client);`).replace("import pg from 'pg';", "import pg from 'pg';\n      import { unlistenAndRelease } from './release';"),
  },
  {
    name: 'a checkout kept in a field and released directly by close()',
    code: `
      import mysql from 'mysql2/promise';
      const pool = mysql.createPool({ host: 'db', connectionLimit: 4 });
      export class Session {
        private conn?: mysql.PoolConnection;
        async open(): Promise<void> {
          this.conn = await pool.getConnection();
        }
        async run(sql: string): Promise<unknown> {
          const [rows] = await this.conn!.query(sql);
          return rows;
        }
        close(): void {
          this.conn?.release();
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a LISTEN checkout kept in a field whose stop() only unlistens through a local copy: nothing releases it',
    code: LISTENER(`await client.query('UNLISTEN *');
          client.removeAllListeners('notification');`),
    errors: [{ line: 7, message: /checked out by `pg\.Pool\.connect` is kept in `this\.client`, and nothing in its class ever releases it/ }],
  },
  {
    name: "a service whose pool is the default of a destructured constructor option (`{ db = pool } = {}`), left out by a throw",
    ext: '.js',
    files: { 'db.js': "const mysql = require('mysql2/promise');\nconst pool = mysql.createPool({ host: 'db', connectionLimit: 8 });\nmodule.exports = { pool };\n" },
    code: `
      const { pool } = require('./db');
      class MatchService {
        constructor({ db = pool, events } = {}) {
          this.db = db;
          this.events = events;
        }
        async report(matchId, winnerId) {
          const conn = await this.db.getConnection();
          await conn.beginTransaction();
          const [rows] = await conn.query('SELECT id FROM matches WHERE id = ? FOR UPDATE', [matchId]);
          if (!rows[0]) throw new Error('no match ' + matchId);
          await conn.query('UPDATE matches SET winner_id = ? WHERE id = ?', [winnerId, matchId]);
          await conn.commit();
          conn.release();
        }
      }
      module.exports = { MatchService };`,
    errors: [{ line: 8, message: /checked out by `mysql2\/promise\.createPool\.getConnection` is not released when the `throw` on line 11 runs/ }],
  },
];

/**
 * A checkout kept per key in a Map field (a lane's shift lock held on its own connection), released by closeShift();
 * `abandon` is the body of abandonShift() after it reads the entry.
 */
const SHIFTS = (abandon: string) => `
      import type { Pool, PoolClient } from 'pg';
      export class Ledger {
        private readonly shifts = new Map<number, PoolClient>();
        constructor(private readonly pool: Pool) {}
        async openShift(lane: number): Promise<void> {
          const client = await this.pool.connect();
          try {
            await client.query('SELECT pg_advisory_lock($1)', [lane]);
          } catch (err) {
            client.release(err as Error);
            throw err;
          }
          this.shifts.set(lane, client);
        }
        async closeShift(lane: number): Promise<void> {
          const client = this.shifts.get(lane);
          if (!client) return;
          this.shifts.delete(lane);
          await client.query('SELECT pg_advisory_unlock($1)', [lane]);
          client.release();
        }
        async abandonShift(lane: number): Promise<void> {
          const client = this.shifts.get(lane);
          this.shifts.delete(lane);
          if (!client) return;
          ${abandon}
        }
      }`;

valid.push({
  name: 'a checkout kept per key in a Map field, released by every method that deletes its entry',
  code: SHIFTS(`await client.query('SELECT pg_advisory_unlock($1)', [lane]);
          client.release();`),
});
invalid.push({
  name: 'the same Map of checkouts with a method that deletes the entry and only unlocks: nothing can release that client again',
  code: SHIFTS(`await client.query('SELECT pg_advisory_unlock($1)', [lane]);`),
  errors: [{ line: 6, message: /checked out by `pg\.Pool\.connect` is not released when its entry is deleted on line 24/ }],
});
