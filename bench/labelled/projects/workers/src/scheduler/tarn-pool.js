'use strict';

const { Pool } = require('tarn');
const { Client } = require('pg');

// Connections to the analytics replica, managed by tarn like knex does.
const replicas = new Pool({
  create: async () => {
    const c = new Client({ connectionString: process.env.REPLICA_URL });
    await c.connect();
    return c;
  },
  destroy: (c) => c.end(),
  min: 0,
  max: 3,
});

async function dailyTotals(day) {
  const conn = await replicas.acquire().promise;
  const { rows } = await conn.query('SELECT product_id, sum(qty) AS qty FROM sales WHERE day = $1 GROUP BY 1', [day]);
  replicas.release(conn);
  return rows;
}

async function countSales(day) {
  const conn = await replicas.acquire().promise;
  try {
    const { rows } = await conn.query('SELECT count(*)::int AS n FROM sales WHERE day = $1', [day]);
    return rows[0].n;
  } finally {
    replicas.release(conn);
  }
}

module.exports = { dailyTotals, countSales };
