import { createClient } from 'redis';

async function loadUser(id: string) {
  return { id, name: `user ${id}` };
}

/** Serverless handler: one client per invocation. */
export async function getCachedUser(id: string) {
  const client = createClient({ url: process.env.REDIS_URL });
  await client.connect();
  const cached = await client.get(`user:${id}`);
  if (cached) {
    return JSON.parse(cached);
  }
  const user = await loadUser(id);
  await client.set(`user:${id}`, JSON.stringify(user), { EX: 300 });
  await client.quit();
  return user;
}
