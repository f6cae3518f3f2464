const DEFAULTS = { maintenance: false, banner: null as string | null, rateLimit: 100 };

export type RemoteConfig = typeof DEFAULTS;

/** Remote config with safe defaults: the gateway must start even when the config service is down. */
export async function loadRemoteConfig(url: string): Promise<RemoteConfig> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (res.status !== 200) {
      throw new Error(`config service answered ${res.status}`);
    }
    return { ...DEFAULTS, ...((await res.json()) as Partial<RemoteConfig>) };
  } catch (err) {
    console.warn(`using default config: ${(err as Error).message}`);
    return DEFAULTS;
  }
}
