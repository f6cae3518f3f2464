'use strict';

var pool = require('./db');

function listByCategory(categoryId, cb) {
  pool.getConnection(function (err, conn) {
    if (err) return cb(err);
    conn.query(
      'SELECT id, name, price FROM products WHERE category_id = ? AND active = 1',
      [categoryId],
      function (err, rows) {
        if (err) return cb(err);
        conn.release();
        cb(null, rows);
      }
    );
  });
}

function getProduct(id, cb) {
  pool.query('SELECT * FROM products WHERE id = ?', [id], function (err, rows) {
    if (err) return cb(err);
    cb(null, rows[0] || null);
  });
}

module.exports = { listByCategory: listByCategory, getProduct: getProduct };
