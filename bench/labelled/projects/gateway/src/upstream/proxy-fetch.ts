import { ProxyAgent, fetch as undiciFetch } from 'undici';

const PROXY = process.env.HTTPS_PROXY ?? process.env.https_proxy;

/** Fetches JSON from an external partner API through the corporate proxy. */
export async function partnerGet<T>(url: string): Promise<T> {
  const res = await undiciFetch(url, {
    dispatcher: PROXY ? new ProxyAgent(PROXY) : undefined,
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`partner API: HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}
