import { Client } from 'undici';

/** Nightly inventory job: fetches the agent config of each node of the cluster, one after the other. */
export async function collectConfigs(nodes: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const node of nodes) {
    const client = new Client(`http://${node}:8500`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    try {
      const { body } = await client.request({ path: '/v1/agent/self', method: 'GET' });
      out[node] = await body.json();
    } finally {
      await client.close();
    }
  }
  return out;
}
