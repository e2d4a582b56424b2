import { describe, expect, it } from 'vitest';
import {
  describeLease,
  deviceActions,
  lockNotice,
  unsoldOnDevice,
  type LeaseFigures,
} from './agent-admin-view.ts';

const lease = (deviceId: string, count: number, sold: number, locked = 0, revoked = false): LeaseFigures => ({
  lease: { deviceId, count, revokedAt: revoked ? new Date() : null },
  sold,
  locked,
});

describe('device actions', () => {
  it('offers approval only while pending, and nothing once lost', () => {
    expect(deviceActions('pending')).toEqual(['approve', 'revoke']);
    expect(deviceActions('approved')).toEqual(['revoke', 'lost']);
    expect(deviceActions('revoked')).toEqual(['lost']);
    expect(deviceActions('lost')).toEqual([]);
  });
});

describe('unsold stock', () => {
  it('counts codes still to sell in the device’s open leases only', () => {
    const leases = [lease('d1', 5, 2), lease('d1', 10, 1, 9, true), lease('d2', 4, 0)];
    expect(unsoldOnDevice(leases, 'd1')).toBe(3);
    expect(unsoldOnDevice(leases, 'd2')).toBe(4);
    expect(unsoldOnDevice(leases, 'd3')).toBe(0);
  });

  it('describes a lease and what a revocation will lock', () => {
    expect(describeLease(lease('d1', 5, 2))).toBe('5 codes · 2 sold · 3 to sell');
    expect(describeLease(lease('d1', 5, 2, 3, true))).toBe('5 codes · 2 sold · 3 locked');
    expect(lockNotice(0)).toBe('It holds no unsold codes, so nothing needs locking.');
    expect(lockNotice(1)).toBe(
      'Its 1 unsold code will be locked in RADIUS at once: nobody can log in with it.',
    );
    expect(lockNotice(3)).toContain('Its 3 unsold codes will be locked');
  });
});
