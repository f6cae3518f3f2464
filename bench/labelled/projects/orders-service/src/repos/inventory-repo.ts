import { pool } from '../db';

/**
 * Reserves `qty` units of a SKU. Returns false when there is not enough stock.
 */
export async function reserve(sku: string, qty: number): Promise<boolean> {
  const client = await pool.connect();
  const { rows } = await client.query<{ available: number }>(
    'SELECT available FROM stock WHERE sku = $1 FOR UPDATE',
    [sku],
  );
  if (rows.length === 0 || rows[0].available < qty) {
    return false;
  }
  await client.query('UPDATE stock SET available = available - $2 WHERE sku = $1', [sku, qty]);
  client.release();
  return true;
}

export async function stockLevels(skus: string[]) {
  const { rows } = await pool.query('SELECT sku, available FROM stock WHERE sku = ANY($1)', [skus]);
  return new Map(rows.map((r) => [r.sku as string, r.available as number]));
}
