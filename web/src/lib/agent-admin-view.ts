// How an agent's devices and leases read on the operator's screen, and which steps each
// device offers next. Display only: the server checks every step again.

export type DeviceStatus = 'pending' | 'approved' | 'revoked' | 'lost';
export type DeviceAction = 'approve' | 'revoke' | 'lost';

export const DEVICE_STATUS: Record<DeviceStatus, { label: string; tone: '' | 'ok' | 'warn' | 'danger' }> = {
  pending: { label: 'Waiting for approval', tone: 'warn' },
  approved: { label: 'Approved', tone: 'ok' },
  revoked: { label: 'Revoked', tone: '' },
  lost: { label: 'Lost', tone: 'danger' },
};

/**
 * Pending: approve it, or refuse it (revoke). Approved: revoke or declare lost. Revoked: it can
 * still be declared lost, so sales that surface later are charged. Lost is final.
 */
export function deviceActions(status: DeviceStatus): DeviceAction[] {
  if (status === 'pending') return ['approve', 'revoke'];
  if (status === 'approved') return ['revoke', 'lost'];
  if (status === 'revoked') return ['lost'];
  return [];
}

export interface LeaseFigures {
  lease: { deviceId: string; count: number; revokedAt: Date | null };
  sold: number;
  locked: number;
}

/** Codes of a lease still on the phone to sell: neither sold nor locked. */
export const unsoldOf = (l: LeaseFigures) => Math.max(0, l.lease.count - l.sold - l.locked);

/** Unsold codes a device holds in open leases: what revoking it or declaring it lost locks. */
export function unsoldOnDevice(leases: readonly LeaseFigures[], deviceId: string): number {
  return leases
    .filter((l) => l.lease.deviceId === deviceId && l.lease.revokedAt === null)
    .reduce((n, l) => n + unsoldOf(l), 0);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 codes · 2 sold · 3 to sell", "5 codes · 2 sold · 3 locked". */
export function describeLease(l: LeaseFigures): string {
  const parts = [plural(l.lease.count, 'code'), `${l.sold} sold`];
  if (l.lease.revokedAt === null) parts.push(`${unsoldOf(l)} to sell`);
  if (l.locked) parts.push(`${l.locked} locked`);
  return parts.join(' · ');
}

/** What the device dialogs say will happen to stock. */
export function lockNotice(unsold: number): string {
  if (unsold === 0) return 'It holds no unsold codes, so nothing needs locking.';
  return `Its ${plural(unsold, 'unsold code')} will be locked in RADIUS at once: nobody can log in with ${unsold === 1 ? 'it' : 'them'}.`;
}
