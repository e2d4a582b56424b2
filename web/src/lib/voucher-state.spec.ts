import { describe, expect, it } from 'vitest';
import {
  describeCodeAction,
  figureList,
  formatChannel,
  formatShortDuration,
  formatUsage,
  formatVoucherState,
} from './voucher-state.ts';

describe('voucher state and usage', () => {
  it('labels every state in words an operator uses', () => {
    expect(formatVoucherState('exhausted')).toBe('Used up');
    expect(formatVoucherState('locked')).toBe('Locked');
    expect(formatVoucherState('unused')).toBe('Unused');
  });

  it('says who has a code', () => {
    const soldAt = new Date();
    expect(formatChannel({ channel: 'stock', printRun: null, soldAt: null })).toBe('In stock');
    expect(formatChannel({ channel: 'printed', printRun: 2, soldAt: null })).toBe('Printed · run 2');
    expect(formatChannel({ channel: 'printed', printRun: null, soldAt: null })).toBe(
      'Printed (before print runs)',
    );
    expect(formatChannel({ channel: 'leased', printRun: null, soldAt: null })).toBe('With agent');
    expect(formatChannel({ channel: 'leased', printRun: null, soldAt })).toBe('Sold by agent');
    expect(formatChannel({ channel: 'held', printRun: null, soldAt: null })).toBe('Held for tests');
  });

  it('lists the six main figures always and the rest only when not zero', () => {
    const zero = {
      total: 0,
      inStock: 0,
      printed: 0,
      withAgents: 0,
      heldForTests: 0,
      sold: 0,
      testLogins: 0,
      inUse: 0,
      usedUp: 0,
      expired: 0,
      void: 0,
      locked: 0,
    };
    expect(figureList(zero).map((f) => f.label)).toEqual([
      'In stock',
      'Printed',
      'With agents',
      'Sold',
      'In use',
      'Used up',
    ]);
    expect(figureList({ ...zero, testLogins: 3 }).slice(6)).toEqual([{ label: 'Test logins', value: 3 }]);
  });

  it('shortens durations to the two largest units', () => {
    expect(formatShortDuration(45)).toBe('45 s');
    expect(formatShortDuration(42 * 60)).toBe('42 min');
    expect(formatShortDuration(3600)).toBe('1 h');
    expect(formatShortDuration(3900)).toBe('1 h 5 min');
    expect(formatShortDuration(2 * 86_400 + 3 * 3600 + 60)).toBe('2 d 3 h');
  });

  it('shows time and data used against the plan’s quotas', () => {
    const usage = { usedSeconds: 42 * 60, usedOctets: 120n * 1024n ** 2n, timeQuotaSeconds: 3600 };
    expect(formatUsage({ ...usage, dataQuotaBytes: 1024n ** 3n })).toBe('42 min of 1 h · 120 MiB of 1 GiB');
    expect(formatUsage({ ...usage, timeQuotaSeconds: null, dataQuotaBytes: null })).toBe('42 min · 120 MiB');
    expect(
      formatUsage({ usedSeconds: 0, usedOctets: 0n, timeQuotaSeconds: 3600, dataQuotaBytes: null }),
    ).toBe(null);
  });

  it('says what changed, what stayed locked on a lost phone and what was already so', () => {
    expect(describeCodeAction('lock', 3, { changed: 3 })).toBe('Locked 3 codes.');
    expect(describeCodeAction('lock', 3, { changed: 1 })).toBe('Locked 1 code. 2 codes already locked.');
    expect(describeCodeAction('unlock', 4, { changed: 1, keptLocked: 2 })).toBe(
      'Unlocked 1 code. 2 codes stayed locked: they are on a lost or revoked phone; void them instead. 1 code already unlocked.',
    );
    expect(describeCodeAction('void', 2, { changed: 2 })).toBe('Voided 2 codes.');
  });
});
