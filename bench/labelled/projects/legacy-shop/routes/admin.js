'use strict';

const express = require('express');
const pool = require('../lib/db-promise');

const router = express.Router();

router.post('/products/:id/price', async (req, res, next) => {
  let conn;
  try {
    conn = await pool.getConnection();
    await conn.beginTransaction();
    await conn.execute('UPDATE products SET price = ? WHERE id = ?', [req.body.price, req.params.id]);
    await conn.execute('INSERT INTO price_history (product_id, price) VALUES (?, ?)', [req.params.id, req.body.price]);
    await conn.commit();
    res.sendStatus(204);
  } catch (err) {
    if (conn) await conn.rollback().catch(() => {});
    next(err);
  } finally {
    if (conn) conn.release();
  }
});

module.exports = router;
