'use strict';

const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

function claimJobs(workerId, limit, cb) {
  pool.connect(function (err, client, done) {
    if (err) return cb(err);
    if (limit <= 0) return cb(null, []);
    client.query(
      `UPDATE jobs SET worker = $1, claimed_at = now()
        WHERE id IN (SELECT id FROM jobs WHERE worker IS NULL ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [workerId, limit],
      function (err, res) {
        done();
        if (err) return cb(err);
        cb(null, res.rows);
      }
    );
  });
}

function heartbeat(workerId, cb) {
  pool.connect(function (err, client, release) {
    if (err) return cb(err);
    client.query('UPDATE workers SET seen_at = now() WHERE id = $1', [workerId], function (err) {
      release(err);
      cb(err);
    });
  });
}

module.exports = { claimJobs, heartbeat };
