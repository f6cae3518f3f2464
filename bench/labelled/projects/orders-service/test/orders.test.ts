import assert from 'assert';
import { Pool } from 'pg';

describe('orders schema', () => {
  let pool: Pool;

  before(() => {
    pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL });
  });

  after(async () => {
    await pool.end();
  });

  it('rolls back a failed order', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("INSERT INTO orders (customer_id, status) VALUES ('c1', 'pending')");
      await client.query('ROLLBACK');
      const { rows } = await client.query("SELECT count(*)::int AS n FROM orders WHERE customer_id = 'c1'");
      assert.strictEqual(rows[0].n, 0);
    } finally {
      client.release();
    }
  });

  it('has the status check constraint', async () => {
    const client = await pool.connect();
    const { rows } = await client.query(
      "SELECT conname FROM pg_constraint WHERE conname = 'orders_status_check'",
    );
    assert.strictEqual(rows.length, 1);
    client.release();
  });
});
