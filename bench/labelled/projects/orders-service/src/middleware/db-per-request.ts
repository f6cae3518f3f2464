import type { Request, Response, NextFunction } from 'express';
import type { PoolClient } from 'pg';
import { pool } from '../db';

declare module 'express-serve-static-core' {
  interface Request {
    db?: PoolClient;
  }
}

/** Gives each request its own client (needed for SET LOCAL app.tenant_id). */
export async function dbPerRequest(req: Request, res: Response, next: NextFunction) {
  try {
    const client = await pool.connect();
    req.db = client;
    res.on('finish', () => client.release());
    await client.query('SELECT set_config($1, $2, false)', ['app.tenant_id', String(req.headers['x-tenant'] ?? '')]);
    next();
  } catch (err) {
    next(err);
  }
}
