import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, resolveDays, salesDaysInput } from './report-days.ts';

describe('report days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-03-01', '2026-03-07')).toBe(7);
    expect(daysBetween('2026-03-01', '2026-03-01')).toBe(1);
  });

  it('defaults to the week ending on the tenant’s today', () => {
    expect(resolveDays({}, '2026-03-10')).toEqual({ fromDay: '2026-03-04', toDay: '2026-03-10' });
    expect(resolveDays({ toDay: '2026-03-02' }, '2026-03-10')).toEqual({
      fromDay: '2026-02-24',
      toDay: '2026-03-02',
    });
    expect(resolveDays({ fromDay: '2026-03-09' }, '2026-03-10')).toEqual({
      fromDay: '2026-03-09',
      toDay: '2026-03-10',
    });
  });

  it('refuses a backwards or overlong range', () => {
    expect(() => resolveDays({ fromDay: '2026-03-05', toDay: '2026-03-04' }, '2026-03-10')).toThrow(
      expect.objectContaining({ code: 'REPORT.BACKWARDS' }),
    );
    expect(() => resolveDays({ fromDay: '2025-01-01', toDay: '2026-03-04' }, '2026-03-10')).toThrow(
      expect.objectContaining({ code: 'REPORT.TOO_LONG' }),
    );
  });

  it('accepts only real calendar dates', () => {
    expect(salesDaysInput.safeParse({ fromDay: '2026-02-30' }).success).toBe(false);
    expect(salesDaysInput.safeParse({ toDay: '1 March' }).success).toBe(false);
    expect(salesDaysInput.safeParse({ fromDay: '2028-02-29', toDay: '2028-03-01' }).success).toBe(true);
  });
});
