export class UpstreamError extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(`upstream answered ${status}: ${detail.slice(0, 200)}`);
  }
}

/** Reads a JSON body, turning error statuses into UpstreamError with the body as detail. */
export async function readJson<T>(res: Response): Promise<T> {
  if (!res.ok) {
    throw new UpstreamError(res.status, await res.text());
  }
  return (await res.json()) as T;
}

/** Throws on an error status. */
export function ensureOk(res: Response): Response {
  if (!res.ok) {
    throw new UpstreamError(res.status, res.statusText);
  }
  return res;
}
