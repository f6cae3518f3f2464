import { Pool, PoolClient } from 'pg';

/** Runs fn with a checked-out client (promise-chain style, kept from the 2.x API). */
export function withClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  return pool.connect().then(async (client) => {
    const result = await fn(client);
    client.release();
    return result;
  });
}
