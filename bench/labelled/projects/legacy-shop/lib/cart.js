'use strict';

var pool = require('./db');

exports.addItem = function (cartId, productId, qty, cb) {
  pool.getConnection(function (err, conn) {
    if (err) return cb(err);
    conn.query(
      'INSERT INTO cart_items (cart_id, product_id, qty) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty)',
      [cartId, productId, qty],
      function (err, result) {
        conn.release();
        if (err) return cb(err);
        cb(null, result.affectedRows);
      }
    );
  });
};

exports.items = function (cartId, cb) {
  pool.getConnection(function (err, conn) {
    if (err) return cb(err);
    conn.query('SELECT * FROM cart_items WHERE cart_id = ?', [cartId], function (err, rows) {
      conn.release();
      cb(err, rows);
    });
  });
};
