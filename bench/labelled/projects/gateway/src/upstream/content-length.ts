/** Size of a remote object without downloading it (some origins refuse HEAD). */
export async function remoteSize(url: string): Promise<number | null> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  const len = res.headers.get('content-length');
  ac.abort();
  return len === null ? null : Number(len);
}
