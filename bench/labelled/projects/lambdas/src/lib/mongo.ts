import { MongoClient } from 'mongodb';

// Created once per container and reused across invocations (AWS's recommended pattern).
let clientPromise: Promise<MongoClient> | undefined;

export function mongo(): Promise<MongoClient> {
  clientPromise ??= new MongoClient(process.env.MONGODB_URI!, { maxPoolSize: 2 }).connect();
  return clientPromise;
}
