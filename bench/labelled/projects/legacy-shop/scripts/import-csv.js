#!/usr/bin/env node
'use strict';

const fs = require('fs');
const { parse } = require('csv-parse/sync');
const mysql = require('mysql2/promise');

async function main(file) {
  const records = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true });
  const conn = await mysql.createConnection({
    host: process.env.DB_HOST || 'localhost',
    user: process.env.DB_USER || 'root',
    password: process.env.DB_PASSWORD,
    database: process.env.DB_NAME || 'shop',
  });
  await conn.beginTransaction();
  for (const r of records) {
    await conn.execute('INSERT INTO products (sku, name, price) VALUES (?, ?, ?)', [r.sku, r.name, r.price]);
  }
  await conn.commit();
  await conn.end();
  console.log(`imported ${records.length} products`);
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
