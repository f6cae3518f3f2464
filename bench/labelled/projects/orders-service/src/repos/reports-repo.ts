import { withTransaction } from '../db';

export async function closeMonth(month: string) {
  return withTransaction(async (client) => {
    const { rows } = await client.query(
      'SELECT sum(total_cents) AS revenue FROM orders WHERE date_trunc($1, created_at) = $2',
      ['month', month],
    );
    await client.query('INSERT INTO monthly_reports (month, revenue_cents) VALUES ($1, $2)', [month, rows[0].revenue]);
    return rows[0].revenue as number;
  });
}
