import { createHmac } from 'node:crypto';

export interface Hook {
  url: string;
  secret: string;
}

export async function deliver(hook: Hook, event: string, payload: unknown): Promise<void> {
  const body = JSON.stringify({ event, payload, sentAt: new Date().toISOString() });
  const signature = createHmac('sha256', hook.secret).update(body).digest('hex');
  await fetch(hook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    body,
    signal: AbortSignal.timeout(10_000),
  });
}

export async function deliverAll(hooks: Hook[], event: string, payload: unknown) {
  const results = await Promise.allSettled(hooks.map((h) => deliver(h, event, payload)));
  return results.filter((r) => r.status === 'rejected').length;
}
