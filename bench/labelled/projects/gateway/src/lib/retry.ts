const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
}

/** fetch() that retries 429 and 5xx answers with exponential backoff. */
export async function fetchWithRetry(url: string, init: RequestInit = {}, opts: RetryOptions = {}): Promise<Response> {
  const attempts = opts.attempts ?? 3;
  const base = opts.baseDelayMs ?? 200;
  for (let i = 0; ; i++) {
    const res = await fetch(url, init);
    const retryable = res.status === 429 || res.status >= 500;
    if (retryable && i < attempts - 1) {
      const retryAfter = Number(res.headers.get('retry-after'));
      await sleep(retryAfter > 0 ? retryAfter * 1000 : base * 2 ** i);
      continue;
    }
    return res;
  }
}
