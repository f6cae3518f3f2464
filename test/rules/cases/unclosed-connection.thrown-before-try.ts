// unclosed-connection: a call of a synchronous project function that throws on a path of its own (a
// validation of input) made after the connection opens and before the `try` that closes it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

// A configuration helper throws only when the variable is unset and no fallback was given: called with a
// literal fallback, it cannot throw.
const ENV_HELPER = `
      function env(name, fallback) {
        const value = process.env[name] ?? fallback;
        if (value === undefined) throw new Error(\`\${name} is required\`);
        return value;
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a configuration helper given a literal fallback after connect: it cannot throw',
    code: `
      import { MongoClient } from 'mongodb';
      ${ENV_HELPER}
      export async function main() {
        const mongo = await MongoClient.connect(env('MONGO_URI'));
        const port = Number(env('GEOCODER_PORT', '7070'));
        try {
          await mongo.db().collection('runs').insertOne({ port });
        } finally {
          await mongo.close();
        }
      }`,
  },
  {
    name: "a helper that throws when a parameter is missing (\`if (!url) throw\`), given a string",
    code: `
      import net from 'node:net';
      function endpoint(host, port) {
        if (!port) throw new Error('port is required');
        return { host, port };
      }
      export function probe(host) {
        const socket = net.connect(7000, host);
        const target = endpoint(host, 7001);
        try {
          socket.write(JSON.stringify(target));
        } finally {
          socket.end();
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a date check of the file's own that throws after connect and before the try: the client stays connected",
    code: `
      import { Client } from 'pg';
      function windowOf(event: { from?: string; to?: string }) {
        const from = new Date(event.from ?? Date.now() - 86_400_000);
        const to = new Date(event.to ?? Date.now());
        if (Number.isNaN(from.getTime()) || from >= to) throw new RangeError('invalid window');
        return { from, to };
      }
      export async function handler(event: { from?: string; to?: string }) {
        const client = new Client({ connectionString: process.env.REPORTS_URL });
        await client.connect();
        const { from, to } = windowOf(event);
        try {
          return (await client.query('SELECT count(*) FROM orders WHERE placed_at BETWEEN $1 AND $2', [from, to])).rows;
        } finally {
          await client.end();
        }
      }`,
    errors: [{ line: 9, message: /is not closed when the function called on line 11 throws/ }],
  },
  {
    name: 'the same configuration helper without a fallback after connect: it throws when the variable is unset',
    code: `
      import { MongoClient } from 'mongodb';
      ${ENV_HELPER}
      export async function main() {
        const mongo = await MongoClient.connect(env('MONGO_URI'));
        const table = env('RUNS_COLLECTION');
        try {
          await mongo.db().collection(table).insertOne({ at: Date.now() });
        } finally {
          await mongo.close();
        }
      }`,
    errors: [{ line: 9, message: /is not closed when the function called on line 10 throws/ }],
  },
  {
    name: 'a helper that also throws on a path of its own, given its fallback: still a throw',
    code: `
      import { MongoClient } from 'mongodb';
      function env(name, fallback) {
        const value = process.env[name] ?? fallback;
        if (value === undefined) throw new Error(name + ' is required');
        if (!/^[a-z]+$/.test(value)) throw new Error(name + ' must be lowercase');
        return value;
      }
      export async function main() {
        const mongo = await MongoClient.connect(process.env.MONGO_URI);
        const table = env('RUNS_COLLECTION', 'runs');
        try {
          await mongo.db().collection(table).insertOne({ at: Date.now() });
        } finally {
          await mongo.close();
        }
      }`,
    errors: [{ line: 9, message: /is not closed when the function called on line 10 throws/ }],
  },
];
