import { ensureOk, readJson } from '../lib/json.js';
import { fetchWithRetry } from '../lib/retry.js';

const SEARCH = process.env.SEARCH_URL ?? 'http://search.internal';

export interface Hit {
  id: string;
  score: number;
}

export async function search(q: string): Promise<Hit[]> {
  const res = await fetch(`${SEARCH}/search?q=${encodeURIComponent(q)}`);
  const data = await readJson<{ hits: Hit[] }>(res);
  return data.hits;
}

export async function suggest(prefix: string): Promise<string[]> {
  const res = await fetch(`${SEARCH}/suggest?prefix=${encodeURIComponent(prefix)}`);
  ensureOk(res);
  return (await res.json()) as string[];
}

export async function reindex(id: string): Promise<void> {
  const res = await fetchWithRetry(`${SEARCH}/reindex/${id}`, { method: 'POST' }, { attempts: 5 });
  await readJson<unknown>(res);
}
