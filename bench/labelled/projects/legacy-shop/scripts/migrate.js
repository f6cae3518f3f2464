#!/usr/bin/env node
'use strict';

var fs = require('fs');
var path = require('path');
var mysql = require('mysql');

var sql = fs.readFileSync(path.join(__dirname, '..', 'schema.sql'), 'utf8');

var conn = mysql.createConnection({
  host: process.env.DB_HOST || 'localhost',
  user: process.env.DB_USER || 'root',
  password: process.env.DB_PASSWORD,
  database: process.env.DB_NAME || 'shop',
  multipleStatements: true
});

conn.connect();
conn.query(sql, function (err) {
  if (err) {
    console.error('migration failed:', err.message);
    process.exit(1);
  }
  console.log('schema applied');
  conn.end();
});
