// RouterOS safe mode over the API, as far as Kasi relies on it (docs/adr/0008): the `/safe-mode`
// menu (take, release, unroll) exists in the API from RouterOS 7.18; the session that takes it
// holds it, and if that session ends without releasing, the router undoes every change made
// meanwhile. History holds 100 actions; past that the router silently leaves safe mode.
import { isRouterError, TRAP_CATEGORY } from './router.errors.ts';

/** "currently history keeps up to 100 most recent actions" (RouterOS manual, Safe Mode). */
export const SAFE_MODE_HISTORY_LIMIT = 100;

export type SafeModeTake =
  | { taken: true }
  | {
      taken: false;
      /** unsupported: no /safe-mode in this router's API; held-elsewhere: the router refused. */
      reason: 'unsupported' | 'held-elsewhere';
      message: string;
    };

export interface SafeModeSupport {
  supported: boolean;
  /** `/system/resource version`, e.g. "7.18.2 (stable)". */
  version: string;
}

/** True for RouterOS 7.18 and later, whose API command tree has `/safe-mode`. */
export function supportsSafeMode(version: string): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 7 || (major === 7 && minor >= 18);
}

/** What a trap on `/safe-mode/take` means; undefined for errors that are not a refusal. */
export function takeRefusal(error: unknown): SafeModeTake | undefined {
  if (!isRouterError(error, 'ROUTER.TRAP')) return undefined;
  const missing =
    error.category === TRAP_CATEGORY.missingItemOrCommand || error.message.startsWith('no such command');
  return { taken: false, reason: missing ? 'unsupported' : 'held-elsewhere', message: error.message };
}
