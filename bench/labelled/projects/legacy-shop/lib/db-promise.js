'use strict';

const mysql = require('mysql2/promise');

module.exports = mysql.createPool({
  host: process.env.DB_HOST || 'localhost',
  user: process.env.DB_USER || 'shop',
  password: process.env.DB_PASSWORD,
  database: process.env.DB_NAME || 'shop',
  waitForConnections: true,
  connectionLimit: 5,
});
