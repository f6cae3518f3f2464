import { Router } from 'express';
import { pool } from '../db';

export const health = Router();

health.get('/healthz', async (_req, res) => {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
    res.json({ db: 'ok' });
  } catch (err) {
    res.status(503).json({ db: 'down', error: String(err) });
  } finally {
    client.release();
  }
});

health.get('/readyz', async (_req, res) => {
  const paymentsUrl = process.env.PAYMENTS_URL ?? 'http://payments:8080';
  try {
    const upstream = await fetch(`${paymentsUrl}/status`);
    res.status(upstream.ok ? 200 : 503).json({ payments: upstream.status });
  } catch {
    res.status(503).json({ payments: 'unreachable' });
  }
});
