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
  radiusAddress: '',
};

describe('settings forms', () => {
  it('turns blanks into "not set" and numbers into numbers', () => {
    const r = toTenantSettingsInput(fields);
    expect(r).toMatchObject({
      ok: true,
      value: { hotspotUrl: null, radiusAddress: null, accountingRetentionMonths: 12, brandColour: '#0a7f3f' },
    });
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
