export class HttpError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`HTTP ${status}`);
  }
}

const PRICING_URL = process.env.PRICING_URL ?? 'http://pricing.internal';

export async function quote(sku: string, qty: number): Promise<{ totalCents: number }> {
  const res = await fetch(`${PRICING_URL}/quote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku, qty }),
    signal: AbortSignal.timeout(3_000),
  });
  if (!res.ok) {
    throw new HttpError(res.status, await res.text());
  }
  return (await res.json()) as { totalCents: number };
}
