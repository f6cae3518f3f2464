import { request } from 'undici';

/** Tells the cluster manager that a snapshot finished. */
export async function notifyManager(managerUrl: string, snapshotId: string): Promise<boolean> {
  const { statusCode } = await request(`${managerUrl}/snapshots/${snapshotId}/done`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ at: Date.now() }),
  });
  return statusCode >= 200 && statusCode < 300;
}

/** HEAD: does the manager know this snapshot? */
export async function snapshotExists(managerUrl: string, snapshotId: string): Promise<boolean> {
  const { statusCode } = await request(`${managerUrl}/snapshots/${snapshotId}`, { method: 'HEAD' });
  return statusCode === 200;
}
