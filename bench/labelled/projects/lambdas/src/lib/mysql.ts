import mysql from 'mysql2/promise';

export const pool = mysql.createPool({
  uri: process.env.MYSQL_URL,
  connectionLimit: 2,
  maxIdle: 1,
  idleTimeout: 10_000,
});
