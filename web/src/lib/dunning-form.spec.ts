import { describe, expect, it } from 'vitest';
import { dunningFields, toDunningPatch } from './dunning-form.ts';

const policy = {
  runHour: 2,
  reminderDays: [-3, 0, 3],
  noSuspendWeekdays: [0, 6],
  holidays: ['2026-12-25'],
  accrueWhileSuspended: false,
};

describe('dunning form', () => {
  it('round-trips the policy through the fields', () => {
    expect(toDunningPatch(dunningFields(policy))).toEqual({ ok: true, value: policy });
  });

  it('reads reminder days and holidays separated by commas, spaces or lines', () => {
    const f = { ...dunningFields(policy), reminderDays: '-7,  -1 +2', holidays: '2026-12-25\n2027-01-01, ' };
    expect(toDunningPatch(f)).toMatchObject({
      ok: true,
      value: { reminderDays: [-7, -1, 2], holidays: ['2026-12-25', '2027-01-01'] },
    });
  });

  it('names the field that is wrong', () => {
    const bad = toDunningPatch({ ...dunningFields(policy), holidays: '2026-02-30', runHour: '25' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['holidays', 'runHour']);
  });
});
