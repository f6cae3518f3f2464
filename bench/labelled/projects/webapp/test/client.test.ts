import assert from 'assert';
import { Client } from 'pg';

describe('migrations', () => {
  it('created the users table', async () => {
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('public.users') AS t");
    assert.strictEqual(rows[0].t, 'users');
  });

  it('created the orders table', async () => {
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('public.orders') AS t");
      assert.strictEqual(rows[0].t, 'orders');
    } finally {
      await client.end();
    }
  });
});
