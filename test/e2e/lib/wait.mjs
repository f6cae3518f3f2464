// Waiting on conditions, never on fixed sleeps: `until` polls a check until it returns a truthy
// value (or the deadline passes, when it says what it waited for and what it saw last).

export class TimeoutError extends Error {}

/**
 * Polls `check` (sync or async) every `interval` ms until it returns something truthy, and returns
 * that. A check that throws counts as "not yet" (its last error is reported on timeout).
 */
export async function until(what, check, { timeout = 30_000, interval = 200 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await check();
      lastError = undefined;
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const seen = lastError ? `last error: ${lastError.message}` : `last seen: ${describe(last)}`;
      throw new TimeoutError(`timed out after ${Math.round(timeout / 1000)} s waiting for ${what} (${seen})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

function describe(v) {
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    return s.length > 1500 ? `${s.slice(0, 1500)}…` : s;
  } catch {
    return String(v);
  }
}
