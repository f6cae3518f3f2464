/** Loads a partner's product feed; partners sometimes answer with an HTML login page. */
export async function loadFeed(url: string): Promise<unknown[]> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`feed ${url}: HTTP ${res.status}`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new Error(`feed ${url}: expected JSON, got ${type}`);
  }
  const data = (await res.json()) as { items: unknown[] };
  return data.items;
}
