import { Client } from 'pg';

const RETENTION_DAYS = 30;

/** Runs with its own connection so that a long DELETE does not hold a pool slot. */
async function purgeExpiredCarts(): Promise<number> {
  const client = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 60_000 });
  await client.connect();
  const res = await client.query(
    `DELETE FROM carts WHERE updated_at < now() - make_interval(days => $1)`,
    [RETENTION_DAYS],
  );
  await client.end();
  return res.rowCount ?? 0;
}

export function startCleanup(): () => void {
  const timer = setInterval(() => {
    purgeExpiredCarts()
      .then((n) => n > 0 && console.log(`purged ${n} carts`))
      .catch((err) => console.error('cart purge failed', err));
  }, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
