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
