import pg from 'pg';
import fs from 'node:fs/promises';

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const fixtures = JSON.parse(await fs.readFile(new URL('./fixtures.json', import.meta.url), 'utf8'));
for (const host of fixtures.hosts) {
  await client.query('INSERT INTO hosts (name, port) VALUES ($1, $2) ON CONFLICT DO NOTHING', [host.name, host.port]);
}
await client.end();
console.log(`seeded ${fixtures.hosts.length} hosts`);
