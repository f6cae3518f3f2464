import { Pool } from 'undici';

export interface Tenant {
  id: string;
  origin: string;
  token: string;
}

export async function callTenant(tenant: Tenant, path: string): Promise<unknown> {
  const pool = new Pool(tenant.origin, { connections: 4 });
  try {
    const { statusCode, body } = await pool.request({
      path,
      method: 'GET',
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    if (statusCode >= 400) {
      await body.dump();
      throw new Error(`tenant ${tenant.id}: HTTP ${statusCode}`);
    }
    return await body.json();
  } finally {
    await pool.close();
  }
}
