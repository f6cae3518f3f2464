export async function isUp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(1_500) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function allUp(urls: string[]): Promise<Record<string, boolean>> {
  const entries = await Promise.all(urls.map(async (u) => [u, await isUp(u)] as const));
  return Object.fromEntries(entries);
}
