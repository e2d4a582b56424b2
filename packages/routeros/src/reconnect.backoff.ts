// How long to wait before the next connection attempt after consecutive failures: exponential
// growth with "full jitter" (a random point in [0, cap]) so that many clients cut off by the
// same outage do not come back in lock-step, and never longer than maxDelayMs.

export interface BackoffPolicy {
  /** Wait cap after the first failure; doubles with each further failure. Default 200 ms. */
  baseDelayMs: number;
  /** Upper bound for any wait. Default 5000 ms. */
  maxDelayMs: number;
  /** Connection attempts one call may make before it gives up. Default 3. */
  attemptsPerCall: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 200, maxDelayMs: 5000, attemptsPerCall: 3 };

/** `failures` consecutive failed attempts so far (0: none, connect at once). */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return 0;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failures - 1, 30));
  return Math.floor(random() * cap);
}
