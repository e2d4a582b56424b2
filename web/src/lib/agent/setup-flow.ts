// The steps of setting up (or logging back in on) this phone, decided from what the phone
// holds: no key yet → log in and enrol; enrolled but not approved → wait; approved → done.
import {
  patchSyncState,
  THIS_DEVICE,
  type AgentDb,
  type AgentProfile,
  type DeviceRecord,
} from './agent-db.ts';
import { applyFeed, currentCursor } from './stock-feed.ts';
import type { PullFeed } from './sync-types.ts';

export type SetupStep = 'login' | 'enrol' | 'waiting' | 'done' | 'withdrawn';

/** Where to start: a phone that is enrolled but not approved can wait without logging in. */
export function firstStep(device: DeviceRecord | undefined): SetupStep {
  if (device?.status === 'pending') return 'waiting';
  if (device?.status === 'revoked' || device?.status === 'lost') return 'withdrawn';
  return 'login';
}

/** After an online login: the next step, with the agent's name and commission brought up to date. */
export async function stepAfterLogin(db: AgentDb, profile: AgentProfile): Promise<SetupStep> {
  const device = await db.device.get(THIS_DEVICE);
  if (!device || device.status === 'new') return 'enrol';
  await db.device.update(THIS_DEVICE, { agent: { ...profile } });
  // A fresh session: syncing may try again at once.
  await patchSyncState(db, { blocked: null, retryAt: 0 });
  if (device.status === 'pending') return 'waiting';
  return device.status === 'approved' ? 'done' : 'withdrawn';
}

/** Asks Kasi whether the phone was approved; the first stock comes with the same answer. */
export async function checkApproval(
  db: AgentDb,
  pull: (deviceId: string, cursor: string | null) => Promise<PullFeed>,
): Promise<SetupStep> {
  const device = await db.device.get(THIS_DEVICE);
  if (!device?.serverId) return 'login';
  await applyFeed(db, await pull(device.serverId, await currentCursor(db)));
  const now = await db.device.get(THIS_DEVICE);
  return now?.status === 'approved' ? 'done' : firstStep(now);
}
