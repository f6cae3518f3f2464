// unreleased-pool-connection: callback-style transactions that go through their rows with a step function the code
// only calls by name (`const next = () => { …; conn.query(sql, (err) => { if (err) return conn.rollback(…); next() }) }`).
// Its body goes on with the checkout's paths, as a callback does: a rollback whose callback rejects without
// `release()` leaves the connection out of the pool, and a `next()` hands the paths on to the next row.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A mysql pool's checkout that inserts each pour in turn; `onFailure` runs in the rollback of a failed insert. */
const RECORD_POURS = (onFailure: string) => `
      import mysql from 'mysql';
      const pool = mysql.createPool({ host: process.env.DB_HOST });
      export function recordPours(pours) {
        return new Promise((resolve, reject) => {
          pool.getConnection((err, conn) => {
            if (err) return reject(err);
            conn.beginTransaction((err) => {
              if (err) {
                conn.release();
                return reject(err);
              }
              let i = 0;
              const next = () => {
                if (i === pours.length) {
                  return conn.commit((err) => {
                    if (err) return conn.rollback(() => { conn.release(); reject(err); });
                    conn.release();
                    resolve(pours.length);
                  });
                }
                const p = pours[i++];
                conn.query('INSERT INTO pours (tap_id, litres) VALUES (?, ?)', [p.tapId, p.litres], (err) => {
                  if (err) return conn.rollback(() => { ${onFailure} });
                  next();
                });
              };
              next();
            });
          });
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a step function of a callback transaction whose failed insert rolls back and rejects without releasing',
    ext: '.js',
    code: RECORD_POURS('reject(err);'),
    errors: [{ line: 5, message: /^The connection checked out by `mysql.createPool.getConnection` is not released when the `return` on line 23 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same step function releasing in the rollback of a failed insert',
    ext: '.js',
    code: RECORD_POURS('conn.release(); reject(err);'),
  },
];
