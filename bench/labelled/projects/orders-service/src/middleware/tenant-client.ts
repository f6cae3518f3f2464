import type { Request, Response, NextFunction } from 'express';
import type { PoolClient } from 'pg';
import { pool } from '../db';

/** Same as dbPerRequest, for the reporting API: released when the response is done or aborted. */
export async function tenantClient(req: Request & { db?: PoolClient }, res: Response, next: NextFunction) {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    next(err);
    return;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    client.release();
  };
  res.on('close', release);
  req.db = client;
  next();
}
