'use strict';

var mysql = require('mysql');

var pool = mysql.createPool({
  connectionLimit: 10,
  host: process.env.DB_HOST || 'localhost',
  user: process.env.DB_USER || 'shop',
  password: process.env.DB_PASSWORD,
  database: process.env.DB_NAME || 'shop'
});

pool.on('connection', function (connection) {
  connection.query('SET SESSION sql_mode = "STRICT_ALL_TABLES"');
});

module.exports = pool;
