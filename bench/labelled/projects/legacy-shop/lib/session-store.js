'use strict';

var mysql = require('mysql');

// One long-lived connection for the session table; reconnects on fatal errors.
var conn;

function connect() {
  conn = mysql.createConnection({
    host: process.env.DB_HOST || 'localhost',
    user: process.env.DB_USER || 'shop',
    password: process.env.DB_PASSWORD,
    database: process.env.DB_NAME || 'shop'
  });
  conn.connect(function (err) {
    if (err) {
      console.error('session store: connect failed', err.code);
      setTimeout(connect, 2000);
    }
  });
  conn.on('error', function (err) {
    if (err.fatal) {
      console.error('session store: connection lost, reconnecting');
      connect();
    }
  });
}

connect();

exports.get = function (sid, cb) {
  conn.query('SELECT data FROM sessions WHERE sid = ? AND expires > NOW()', [sid], function (err, rows) {
    if (err) return cb(err);
    cb(null, rows.length ? JSON.parse(rows[0].data) : null);
  });
};

exports.set = function (sid, data, ttlSeconds, cb) {
  conn.query(
    'REPLACE INTO sessions (sid, data, expires) VALUES (?, ?, NOW() + INTERVAL ? SECOND)',
    [sid, JSON.stringify(data), ttlSeconds],
    cb
  );
};
