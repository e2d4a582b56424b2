// Whether the app is open for selling in this tab. Held in memory only: a reload, a new
// tab or five minutes in the background lock it again, and the PIN opens it offline.
import type { AgentDb } from './agent-db.ts';
import { checkPin, type PinCheck } from './pin-lock.ts';

const RELOCK_AFTER_HIDDEN_MS = 5 * 60_000;

export const unlock = $state({ open: false });

export async function unlockWithPin(db: AgentDb, pin: string): Promise<PinCheck> {
  const result = await checkPin(db, pin);
  if (result.ok) unlock.open = true;
  return result;
}

export function lockApp(): void {
  unlock.open = false;
}

/** Locks the app when it comes back after a long time in the background. */
export function watchIdleLock(): () => void {
  let hiddenAt = 0;
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') hiddenAt = Date.now();
    else if (hiddenAt && Date.now() - hiddenAt > RELOCK_AFTER_HIDDEN_MS) lockApp();
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => document.removeEventListener('visibilitychange', onVisibility);
}
