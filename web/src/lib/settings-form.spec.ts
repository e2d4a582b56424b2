import { describe, expect, it } from 'vitest';
import { memberRefusal, toInviteInput, toTenantSettingsInput, type TenantFields } from './settings-form.ts';

const fields: TenantFields = {
  name: 'Kasi Net',
  timezone: 'Africa/Nairobi',
  locale: 'en-KE',
  hotspotUrl: '',
  brandColour: '#0a7f3f',
  logo: null,
  twoPersonApproval: true,
  accountingRetentionMonths: '12',
  smsRetentionDays: '90',
  radiusAddress: '',
};

describe('settings forms', () => {
  it('turns blanks into "not set" and numbers into numbers', () => {
    const r = toTenantSettingsInput(fields);
    expect(r).toMatchObject({
      ok: true,
      value: {
        hotspotUrl: null,
        radiusAddress: null,
        accountingRetentionMonths: 12,
        smsRetentionDays: 90,
        brandColour: '#0a7f3f',
      },
    });
  });

  it('takes SMS retention as a whole number of days from 1 to 3650', () => {
    expect(toTenantSettingsInput({ ...fields, smsRetentionDays: ' 30 ' })).toMatchObject({
      ok: true,
      value: { smsRetentionDays: 30 },
    });
    const errorOf = (smsRetentionDays: string) => {
      const r = toTenantSettingsInput({ ...fields, smsRetentionDays });
      return r.ok ? null : r.errors;
    };
    expect(errorOf('0')).toEqual({ smsRetentionDays: 'At least 1' });
    expect(errorOf('3651')).toEqual({ smsRetentionDays: 'At most 3650' });
    for (const bad of ['1.5', 'ninety', '', '-3'])
      expect(errorOf(bad)).toEqual({ smsRetentionDays: 'A whole number of days, from 1 to 3650' });
  });

  it('names the field of a bad value', () => {
    const r = toTenantSettingsInput({ ...fields, timezone: 'Nairobi', brandColour: 'green' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['brandColour', 'timezone']);
    const i = toInviteInput({ email: 'not an email', name: '', role: 'viewer' });
    if (i.ok) throw new Error('expected errors');
    expect(Object.keys(i.errors).sort()).toEqual(['email', 'name']);
  });

  it('says why a member cannot be changed', () => {
    const owner = { role: 'owner' as const, userId: 'me' };
    expect(memberRefusal(owner, { id: 'me', role: 'owner' }, 2)).toMatch(/your own/);
    expect(memberRefusal({ role: 'admin', userId: 'me' }, { id: 'o', role: 'owner' }, 2)).toMatch(
      /Only an owner/,
    );
    expect(memberRefusal(owner, { id: 'o', role: 'owner' }, 1)).toMatch(/only active owner/);
    expect(memberRefusal(owner, { id: 'x', role: 'viewer' }, 1)).toBeNull();
  });
});
