// unreleased-pool-connection: pools made in a sibling module and exported whole.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'module.exports = pool in ./db: a query error returns before release()',
    code: `
      var pool = require('./db');
      function list(id, cb) {
        pool.getConnection(function (err, conn) {
          if (err) return cb(err);
          conn.query('SELECT 1', [id], function (err, rows) {
            if (err) return cb(err);
            conn.release();
            cb(null, rows);
          });
        });
      }
      module.exports = { list: list };`,
    ext: '.js',
    files: { 'db.js': `
      var mysql = require('mysql');
      var pool = mysql.createPool({ connectionLimit: 4 });
      module.exports = pool;` },
    errors: [{ line: 3 }],
  },
  {
    name: 'module.exports = mysql2/promise pool: a rejected query skips release()',
    code: `
      const pool = require('./db');
      async function total() {
        const conn = await pool.getConnection();
        const [rows] = await conn.query('SELECT SUM(x) AS t FROM y');
        conn.release();
        return rows[0].t;
      }
      module.exports = { total };`,
    ext: '.js',
    files: { 'db.js': `
      const mysql = require('mysql2/promise');
      module.exports = mysql.createPool({ connectionLimit: 4 });` },
    errors: [{ line: 3 }],
  },
];
