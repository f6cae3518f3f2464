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

/** A SIP NOTIFY sent on a socket made before its message is built by `buildNotify()`, whose helper `pidf()` starts with `check`. */
function sipNotify(check: string): string {
  return `
      const net = require('net');
      const STATES = { open: 'open', busy: 'closed' };
      function pidf(entity, state) {
${check}        return '<presence entity="' + entity + '"><basic>' + STATES[state] + '</basic></presence>';
      }
      function buildNotify(sub, state) {
        return { method: 'NOTIFY', to: sub.subscriber, body: pidf(sub.entity, state) };
      }
      function sendNotify(sub, state) {
        const socket = net.connect({ host: sub.host, port: sub.port });
        const request = JSON.stringify(buildNotify(sub, state));
        return new Promise((resolve, reject) => {
          socket.on('connect', () => socket.write(request));
          socket.on('data', () => resolve(200));
          socket.on('error', reject);
        }).finally(() => socket.end());
      }
      module.exports = { sendNotify };`;
}

export const valid: ValidCase[] = [
  {
    name: "the same message whose helper's helper maps an unknown state to a default instead of throwing",
    code: sipNotify("        if (!(state in STATES)) state = 'open';\n"),
    ext: '.js',
  },
  {
    name: 'built-ins given a literal, a module constant or a copy, and a relative URL with a base: none throws on input',
    code: `
      import net from 'node:net';
      const DEFAULT_PROMPT = '[>#]\\s*$';
      export async function probe(host: string, path: string, opts: object) {
        const socket = net.connect({ host, port: 23 });
        const prompt = new RegExp(DEFAULT_PROMPT, 'm');
        const banner = /^login:/m;
        const target = new URL(path, 'http://localhost');
        const copy = JSON.parse(JSON.stringify(opts));
        try {
          socket.write(JSON.stringify({ prompt: prompt.source, banner: banner.source, target: target.href, copy }));
        } finally {
          socket.destroy();
        }
      }`,
  },
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
  {
    name: 'a helper whose TypeErrors only test the type or presence of what it is given (typeof, instanceof, isX(), !x, == null)',
    code: `
      import net from 'node:net';
      function frame(msg, opts) {
        if (typeof msg !== 'object' || msg == null) throw new TypeError('msg must be an object');
        if (!(opts instanceof Object) || !opts.channel) throw new TypeError('opts.channel is required');
        if (!Number.isInteger(opts.seq)) throw new TypeError('opts.seq must be an integer');
        return JSON.stringify({ ...msg, channel: opts.channel, seq: opts.seq });
      }
      export function send(msg, opts) {
        const socket = net.connect(7000);
        const line = frame(msg, opts);
        try {
          socket.write(line + '\\n');
        } finally {
          socket.end();
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a message built after connect by a helper whose own helper throws on a state it does not know, before the promise whose finally() ends the socket",
    code: sipNotify("        if (!(state in STATES)) throw new RangeError('unknown presence state ' + state);\n"),
    ext: '.js',
    errors: [{ line: 11, message: /is not closed when the function called on line 12 throws/ }],
  },
  {
    name: 'a TypeError thrown on the content of a point (no fields), not its type, by the function mapped over the batch before the try',
    code: `
      import net from 'node:net';
      function toLineProtocol(point) {
        const fields = Object.entries(point.fields ?? {}).filter(([, v]) => v != null);
        if (!point.measurement) throw new TypeError('point without measurement');
        if (fields.length === 0) throw new TypeError(\`point \${point.measurement} has no fields\`);
        return point.measurement + ' ' + fields.map(([k, v]) => k + '=' + v).join(',');
      }
      export function flushOnce(points, port = 8094) {
        const socket = net.connect({ port });
        const payload = points.map(toLineProtocol).join('\\n');
        try {
          socket.write(payload);
        } finally {
          socket.end();
        }
      }`,
    errors: [{ line: 9, message: /is not closed when the function called on line 10 throws/ }],
  },
  {
    name: 'a batch serialised with points.map(toLineProtocol), which throws on a point without fields, after connect and before the try',
    code: `
      import net from 'node:net';
      import { once } from 'node:events';
      function toLineProtocol(point) {
        const fields = Object.entries(point.fields ?? {});
        if (!fields.length) throw new Error('a point needs at least one field');
        return point.measurement + ' ' + fields.map(([k, v]) => k + '=' + v).join(',');
      }
      export async function flushOnce(points, port = 8094) {
        const socket = net.connect({ port });
        const payload = points.map(toLineProtocol).join('\\n') + '\\n';
        try {
          await once(socket, 'connect');
          socket.write(payload);
          return points.length;
        } finally {
          socket.end();
        }
      }`,
    errors: [{ line: 9, message: /is not closed when the function called on line 10 throws/ }],
  },
  {
    name: "a prompt pattern from the device's settings compiled after connect and before the try: a bad pattern throws with the socket open",
    code: `
      import net from 'node:net';
      const DEFAULT_PROMPT = '[>#]\\s*$';
      export async function backupRunningConfig(device: { host: string; promptPattern?: string }): Promise<string> {
        const socket = net.connect({ host: device.host, port: 23 });
        const prompt = new RegExp(device.promptPattern ?? DEFAULT_PROMPT, 'm');
        try {
          socket.write('show running-config\\r\\n');
          return prompt.source;
        } finally {
          socket.destroy();
        }
      }`,
    errors: [{ line: 4, message: /is not closed when the function called on line 5 throws/ }],
  },
  {
    name: 'a message body parsed with JSON.parse after connect and before the try: malformed JSON throws with the client connected',
    code: `
      import { Client } from 'pg';
      export async function record(raw: string) {
        const client = new Client();
        await client.connect();
        const event = JSON.parse(raw);
        try {
          await client.query('INSERT INTO events(body) VALUES ($1)', [event]);
        } finally {
          await client.end();
        }
      }`,
    errors: [{ line: 3, message: /is not closed when the function called on line 5 throws/ }],
  },
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
