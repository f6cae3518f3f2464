'use strict';

const pool = require('./db-promise');

async function monthlySales(year, month) {
  const conn = await pool.getConnection();
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  const [rows] = await conn.query(
    `SELECT p.name, SUM(oi.qty) AS units
       FROM order_items oi JOIN products p ON p.id = oi.product_id
       JOIN orders o ON o.id = oi.order_id
      WHERE YEAR(o.created_at) = ? AND MONTH(o.created_at) = ?
      GROUP BY p.name ORDER BY units DESC`,
    [year, month]
  );
  conn.release();
  return rows;
}

async function topCustomers(limit) {
  const [rows] = await pool.query(
    'SELECT user_id, COUNT(*) AS orders FROM orders GROUP BY user_id ORDER BY orders DESC LIMIT ?',
    [limit]
  );
  return rows;
}

module.exports = { monthlySales, topCustomers };
