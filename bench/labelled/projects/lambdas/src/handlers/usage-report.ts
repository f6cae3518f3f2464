import { pool } from '../lib/mysql';

export const handler = async (event: { month: string }) => {
  const conn = await pool.getConnection();
  try {
    const [rows] = await conn.query('SELECT account_id, SUM(units) AS units FROM usage WHERE month = ? GROUP BY account_id', [
      event.month,
    ]);
    return rows;
  } finally {
    conn.release();
  }
};
