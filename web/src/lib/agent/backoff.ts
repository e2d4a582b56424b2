// When to try the outbox again after a failed push: exponential with "equal jitter" (half
// fixed, half random), so a village of phones regaining signal together does not knock
// on the server in lockstep, yet a retry never comes sooner than half the nominal delay.

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Delay before attempt `failures + 1`, given `failures` consecutive failures (≥ 1). */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 20);
  const nominal = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
