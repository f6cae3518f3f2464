import { pool, withTransaction } from '../db';

export async function findUserByEmail(email: string) {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
    return rows[0] ?? null;
  } finally {
    client.release();
  }
}

export async function renameUser(id: string, name: string) {
  return withTransaction(async (client) => {
    await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
    await client.query('INSERT INTO audit_log (user_id, action) VALUES ($1, $2)', [id, 'rename']);
    return true;
  });
}
