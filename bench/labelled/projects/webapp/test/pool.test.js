const assert = require('assert');
const { Pool } = require('pg');

describe('database', function () {
  const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });

  after(() => pool.end());

  it('runs a transaction', async function () {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE t (x int) ON COMMIT DROP');
      await client.query('INSERT INTO t VALUES (1), (2)');
      const { rows } = await client.query('SELECT sum(x)::int AS s FROM t');
      assert.strictEqual(rows[0].s, 3);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });

  it('has the uuid extension', async function () {
    const client = await pool.connect();
    const { rows } = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'uuid-ossp'");
    assert.strictEqual(rows.length, 1);
  });

  it('can query through the pool', async function () {
    const { rows } = await pool.query('SELECT now()');
    assert.ok(rows[0].now instanceof Date);
  });
});
