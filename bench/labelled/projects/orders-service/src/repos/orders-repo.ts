import { pool, query } from '../db';

export interface OrderLine {
  sku: string;
  qty: number;
  priceCents: number;
}

export async function getOrder(id: string) {
  const rows = await query<{ id: string; status: string }>('SELECT id, status FROM orders WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function createOrder(customerId: string, lines: OrderLine[]): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      'INSERT INTO orders (customer_id, status) VALUES ($1, $2) RETURNING id',
      [customerId, 'pending'],
    );
    const orderId = rows[0].id;
    for (const line of lines) {
      await client.query(
        'INSERT INTO order_lines (order_id, sku, qty, price_cents) VALUES ($1, $2, $3, $4)',
        [orderId, line.sku, line.qty, line.priceCents],
      );
    }
    await client.query('COMMIT');
    client.release();
    return orderId;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}
