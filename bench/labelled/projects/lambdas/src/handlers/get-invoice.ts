import { Client } from 'pg';

interface Event {
  pathParameters: { id: string };
}

export const handler = async (event: Event) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('SELECT * FROM invoices WHERE id = $1', [event.pathParameters.id]);
  if (rows.length === 0) {
    return { statusCode: 404, body: '' };
  }
  await client.end();
  return { statusCode: 200, body: JSON.stringify(rows[0]) };
};
