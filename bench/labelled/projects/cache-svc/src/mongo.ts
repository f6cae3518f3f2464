import { Db, MongoClient } from 'mongodb';

let client: MongoClient | undefined;
let connecting: Promise<MongoClient> | undefined;

export async function getDb(): Promise<Db> {
  if (!client) {
    connecting ??= new MongoClient(process.env.MONGO_URL ?? 'mongodb://localhost:27017/cache').connect();
    client = await connecting;
  }
  return client.db();
}

export async function closeDb(): Promise<void> {
  await client?.close();
  client = undefined;
  connecting = undefined;
}
