// When Kasi applies a change plan inside RouterOS safe mode (docs/adr/0008): the server
// decides with this rule, and the console forecasts with the same one.

/** RouterOS safe mode keeps 100 actions of history, shared with other sessions. */
const SAFE_MODE_HISTORY_LIMIT = 100;

/**
 * Larger plans skip safe mode: RouterOS leaves safe mode without a word once its history is
 * full, so Kasi keeps well clear of it.
 */
export const SAFE_MODE_MAX_OPS = SAFE_MODE_HISTORY_LIMIT / 2;

/** The first RouterOS release with `/safe-mode` (take, release, unroll) in its API. */
export const SAFE_MODE_MIN_ROUTEROS = '7.18';

export type SafeModeReason = 'supported' | 'too-many-ops' | 'routeros-too-old' | 'version-unknown';

/** `unknown`: the plan is small enough, but the router's RouterOS version has not been read. */
export type ExpectedSafeMode =
  | { mode: 'safe-mode'; reason: 'supported' }
  | { mode: 'inverse-ops'; reason: 'too-many-ops' | 'routeros-too-old' }
  | { mode: 'unknown'; reason: 'version-unknown' };

/** True for RouterOS 7.18 and later, e.g. "7.18.2 (stable)", "7.18beta2 (testing)", "8.0". */
export function routerOsHasSafeMode(version: string): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 7 || (major === 7 && minor >= 18);
}

/** How a plan of `opCount` operations will be protected on a router running `version`. */
export function expectedSafeMode(opts: { version: string | undefined; opCount: number }): ExpectedSafeMode {
  if (opts.opCount > SAFE_MODE_MAX_OPS) return { mode: 'inverse-ops', reason: 'too-many-ops' };
  if (opts.version === undefined) return { mode: 'unknown', reason: 'version-unknown' };
  return routerOsHasSafeMode(opts.version)
    ? { mode: 'safe-mode', reason: 'supported' }
    : { mode: 'inverse-ops', reason: 'routeros-too-old' };
}
