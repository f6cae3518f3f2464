import { Pool } from 'undici';

/** Consul HTTP API client: one keep-alive pool for the local agent. */
export class Consul {
  private readonly pool: Pool;

  constructor(agentUrl = 'http://127.0.0.1:8500') {
    this.pool = new Pool(agentUrl, { connections: 8 });
  }

  async kvGet(key: string): Promise<string | null> {
    const { statusCode, body } = await this.pool.request({ path: `/v1/kv/${key}?raw`, method: 'GET' });
    if (statusCode === 404) {
      await body.dump();
      return null;
    }
    return body.text();
  }

  async services(): Promise<string[]> {
    const { body } = await this.pool.request({ path: '/v1/catalog/services', method: 'GET' });
    return Object.keys((await body.json()) as Record<string, unknown>);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
