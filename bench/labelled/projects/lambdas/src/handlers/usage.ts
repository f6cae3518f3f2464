import { pool } from '../lib/mysql';

export const handler = async (event: { accountId: string; month: string }) => {
  const conn = await pool.getConnection();
  const [rows] = await conn.execute(
    'SELECT SUM(units) AS units FROM usage WHERE account_id = ? AND month = ?',
    [event.accountId, event.month],
  );
  const units = (rows as Array<{ units: number | null }>)[0]?.units;
  if (units == null) {
    return { accountId: event.accountId, units: 0 };
  }
  conn.release();
  return { accountId: event.accountId, units };
};
