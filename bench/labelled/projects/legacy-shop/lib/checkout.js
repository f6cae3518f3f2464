'use strict';

var pool = require('./db');
var cart = require('./cart');

function placeOrder(cartId, userId, items, cb) {
  pool.getConnection(function (err, conn) {
    if (err) return cb(err);
    if (!items.length) return cb(null, { orderId: null, empty: true });

    conn.beginTransaction(function (err) {
      if (err) {
        conn.release();
        return cb(err);
      }
      conn.query('INSERT INTO orders (user_id) VALUES (?)', [userId], function (err, res) {
        if (err) {
          return conn.rollback(function () {
            conn.release();
            cb(err);
          });
        }
        var rows = items.map(function (i) { return [res.insertId, i.product_id, i.qty]; });
        conn.query('INSERT INTO order_items (order_id, product_id, qty) VALUES ?', [rows], function (err) {
          if (err) {
            return conn.rollback(function () {
              conn.release();
              cb(err);
            });
          }
          conn.commit(function (err) {
            conn.release();
            if (err) return cb(err);
            cb(null, { orderId: res.insertId });
          });
        });
      });
    });
  });
}

exports.checkout = function (cartId, userId, cb) {
  cart.items(cartId, function (err, items) {
    if (err) return cb(err);
    placeOrder(cartId, userId, items, cb);
  });
};
