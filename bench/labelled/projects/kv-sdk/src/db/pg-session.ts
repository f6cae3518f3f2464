import { Pool, PoolClient } from 'pg';

export class Session {
  constructor(private readonly client: PoolClient) {}

  query(text: string, values?: unknown[]) {
    return this.client.query(text, values);
  }

  end(): void {
    this.client.release();
  }
}

export async function openSession(pool: Pool): Promise<Session> {
  const client = await pool.connect();
  return new Session(client);
}
