import { Pool } from 'pg';

const pool = new Pool({ max: 10 });

/** Leaks the client when the query throws: after ten failures every request waits forever. */
export async function findUser(id: string) {
  const client = await pool.connect();
  const result = await client.query('SELECT * FROM users WHERE id = $1', [id]);
  client.release();
  return result.rows[0];
}

/** Correct: released in finally. */
export async function countUsers(): Promise<number> {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT count(*) FROM users');
    return Number(result.rows[0].count);
  } finally {
    client.release();
  }
}

/** Correct: pool.query checks out and releases by itself. */
export async function listUsers() {
  const { rows } = await pool.query('SELECT * FROM users');
  return rows;
}
