// connection-churn: a project client class whose constructor makes only pools and agents (an undici Pool, a keep-alive
// https.Agent), made for each request and never closed; also when a method of it opens something else later (a live
// feed's WebSocket, not made with the client), and when a project factory of another module returns it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** The SDK's client: a Pool and an Agent at construction, a revocation feed's WebSocket only when asked for. */
const CLIENT = `import { Agent, Pool } from 'undici';
import WebSocket from 'ws';
export class PermitClient {
  private readonly pool: Pool;
  private readonly agent: Agent;
  private revocations?: WebSocket;
  constructor(private readonly opts: { apiKey?: string; origin?: string }) {
    this.pool = new Pool(opts.origin ?? 'https://registry.example', { connections: 8 });
    this.agent = new Agent({ keepAliveTimeout: 30_000 });
  }
  async getPermit(id: string): Promise<unknown> {
    const { body } = await this.pool.request({ path: '/permits/' + id, method: 'GET' });
    return body.json();
  }
  onRevocation(cb: (id: string) => void): void {
    this.revocations = new WebSocket('wss://registry.example/revocations');
    this.revocations.on('message', (m) => cb(String(m)));
  }
  async close(): Promise<void> {
    this.revocations?.close();
    await Promise.all([this.pool.close(), this.agent.close()]);
  }
}
export function createPermitClient(opts: { apiKey?: string } = {}): PermitClient {
  return new PermitClient(opts);
}
`;

const HANDLER = (make: string, where: 'inside' | 'outside') => `
      import type { APIGatewayProxyEventV2 } from 'aws-lambda';
      import { PermitClient, createPermitClient } from './client';
      ${where === 'outside' ? `const client = ${make};` : ''}
      export async function handler(event: APIGatewayProxyEventV2) {
        ${where === 'inside' ? `const client = ${make};` : ''}
        const permit = await client.getPermit(event.pathParameters?.permitId ?? '');
        return { statusCode: 200, body: JSON.stringify(permit) };
      }`;

export const valid: ValidCase[] = [
  {
    name: 'an uploader whose only connection its connect() opens (an FTP session), made for each upload request and closed in finally: not a pool made again',
    code: `
      import express from 'express';
      import { Client } from 'basic-ftp';
      class SurveyUploader {
        private client: Client | null = null;
        async connect(): Promise<void> {
          this.client = new Client();
          await this.client.access({ host: process.env.FTP_HOST, user: 'tally', password: process.env.FTP_PASS });
        }
        async upload(local: string, remote: string): Promise<void> {
          if (!this.client) await this.connect();
          await this.client!.uploadFrom(local, remote);
        }
        close(): void { this.client?.close(); }
      }
      export const router = express.Router();
      router.post('/surveys/:id/push', async (req, res) => {
        const uploader = new SurveyUploader();
        try {
          await uploader.upload('/spool/' + req.params.id + '.csv', req.params.id + '.csv');
        } finally {
          uploader.close();
        }
        res.sendStatus(204);
      });`,
  },
  {
    name: 'one SDK client for the warm Lambda container, made at module scope and used by every invocation',
    code: HANDLER("new PermitClient({ apiKey: process.env.API_KEY })", 'outside'),
    files: { 'client.ts': CLIENT },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "an SDK client (a Pool and an Agent; a WebSocket only when a method asks) made per API Gateway invocation and never closed",
    code: HANDLER("new PermitClient({ apiKey: process.env.API_KEY })", 'inside'),
    files: { 'client.ts': CLIENT },
    errors: [{ line: 5, message: /^A new `PermitClient` is created on every call of `handler` and never closed/ }],
  },
  {
    name: 'the same client from a project factory of another module, made per invocation and never closed',
    code: HANDLER('createPermitClient({ apiKey: process.env.API_KEY })', 'inside'),
    files: { 'client.ts': CLIENT },
    errors: [{ line: 5, message: /^A new `createPermitClient\(\)` is created on every call of `handler` and never closed/ }],
  },
];

/** An SDK client whose keep-alive agents sit in one private field, under a key per protocol. */
const AGENTS_CLIENT = `import http from 'node:http';
import https from 'node:https';
import got from 'got';
export class RideClient {
  #agents;
  constructor({ apiKey, baseUrl = 'https://api.rides.example/v3' }) {
    this.#agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
    };
    this.http = got.extend({ prefixUrl: baseUrl, agent: this.#agents, headers: { authorization: 'Bearer ' + apiKey } });
  }
  getRide(id) {
    return this.http.get('rides/' + id).json();
  }
  close() {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }
}
`;

invalid.push({
  name: "an SDK client whose agents are kept in an object literal's keys, made per request by a factory of the module that may return null: reported at the factory's `new`",
  code: `
      import express from 'express';
      import { RideClient } from './client.js';
      const app = express();
      function clientFor(req) {
        const apiKey = req.get('x-operator-key');
        if (!apiKey) return null;
        return new RideClient({ apiKey });
      }
      app.get('/rides/:id', async (req, res, next) => {
        const client = clientFor(req);
        if (!client) return res.sendStatus(401);
        try {
          res.json(await client.getRide(req.params.id));
        } catch (err) {
          next(err);
        }
      });
      app.listen(8080);`,
  ext: '.js',
  files: { 'client.js': AGENTS_CLIENT },
  errors: [{ line: 7, message: /^A new `RideClient` is created on every call of this function and never closed/ }],
});
valid.push({
  name: 'the same client made once for the process and shared by every request',
  code: `
      import express from 'express';
      import { RideClient } from './client.js';
      const app = express();
      const client = new RideClient({ apiKey: process.env.RIDES_KEY });
      app.get('/rides/:id', async (req, res) => res.json(await client.getRide(req.params.id)));
      app.listen(8080);`,
  ext: '.js',
  files: { 'client.js': AGENTS_CLIENT },
});
