// How an agent's devices and leases read on the operator's screen, and which steps each
// device offers next. Display only: the server checks every step again.
import { m } from './i18n/locale.ts';

export type DeviceStatus = 'pending' | 'approved' | 'revoked' | 'lost';
export type DeviceAction = 'approve' | 'revoke' | 'lost';

// Labels are getters: read when shown, so a change of language shows at once.
export const DEVICE_STATUS: Record<
  DeviceStatus,
  { readonly label: string; tone: '' | 'ok' | 'warn' | 'danger' }
> = {
  pending: {
    get label() {
      return m.console_agents_dev_pending();
    },
    tone: 'warn',
  },
  approved: {
    get label() {
      return m.console_agents_dev_approved();
    },
    tone: 'ok',
  },
  revoked: {
    get label() {
      return m.console_agents_dev_revoked();
    },
    tone: '',
  },
  lost: {
    get label() {
      return m.console_agents_dev_lost();
    },
    tone: 'danger',
  },
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

/** "5 codes · 2 sold · 3 to sell", "5 codes · 2 sold · 3 locked". */
export function describeLease(l: LeaseFigures): string {
  const parts = [
    m.console_agents_codes({ count: l.lease.count }),
    m.console_agents_lease_sold({ count: l.sold }),
  ];
  if (l.lease.revokedAt === null) parts.push(m.console_agents_lease_to_sell({ count: unsoldOf(l) }));
  if (l.locked) parts.push(m.console_agents_lease_locked({ count: l.locked }));
  return parts.join(' · ');
}

/** What the device dialogs say will happen to stock. */
export function lockNotice(unsold: number): string {
  if (unsold === 0) return m.console_agents_lock_none();
  return m.console_agents_lock_some({ count: unsold });
}
