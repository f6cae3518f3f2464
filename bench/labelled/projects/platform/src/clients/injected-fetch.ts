export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface FlagsClientOptions {
  baseUrl: string;
  fetch?: FetchLike;
}

/** Feature-flag client; the fetch implementation can be injected for tests and edge runtimes. */
export class FlagsClient {
  private readonly fetchImpl: FetchLike;

  constructor(private readonly opts: FlagsClientOptions) {
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async isEnabled(flag: string, user: string): Promise<boolean> {
    const res = await this.fetchImpl(`${this.opts.baseUrl}/flags/${flag}?user=${encodeURIComponent(user)}`);
    if (res.status === 404) {
      return false;
    }
    const body = (await res.json()) as { enabled: boolean };
    return body.enabled;
  }
}
