'use strict';

const mysql = require('mysql2/promise');
const { publish } = require('../queue/publisher');

const config = {
  host: process.env.LEGACY_DB_HOST,
  user: process.env.LEGACY_DB_USER,
  password: process.env.LEGACY_DB_PASSWORD,
  database: 'erp',
};

function startSync() {
  let lastId = 0;
  return setInterval(async () => {
    try {
      const conn = await mysql.createConnection(config);
      const [rows] = await conn.query('SELECT * FROM invoices WHERE id > ? ORDER BY id LIMIT 500', [lastId]);
      for (const row of rows) {
        await publish('invoices', row);
        lastId = row.id;
      }
      await conn.end();
    } catch (err) {
      console.error('[sync] failed', err);
    }
  }, 60 * 1000);
}

module.exports = { startSync };
