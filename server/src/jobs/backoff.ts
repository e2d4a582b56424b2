// How long a failed job waits before its next attempt: exponential, capped, with jitter so
// jobs that failed together (a provider outage) do not all come back in the same second.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * "Equal jitter": half the exponential delay is certain, the other half random. `attempt` is
 * the attempt that just failed (1 for the first). `random` returns [0, 1).
 */
export function retryDelayMs(attempt: number, opts: BackoffOptions, random: () => number = Math.random) {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
