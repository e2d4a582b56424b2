import { describe, expect, it } from 'vitest';
import {
  describeDevice,
  recoveryCodesText,
  toCode,
  toPasswordChange,
  toPasswordReset,
} from './account-form.ts';

describe('account forms', () => {
  it('ask for the current password and two matching new ones', () => {
    expect(toPasswordChange({ currentPassword: '', newPassword: 'a', repeat: 'b' })).toEqual({
      ok: false,
      errors: {
        currentPassword: 'Enter your current password.',
        repeat: 'The two passwords are not the same.',
      },
    });
    expect(
      toPasswordChange({ currentPassword: 'old one', newPassword: 'new one', repeat: 'new one' }),
    ).toEqual({
      ok: true,
      value: { currentPassword: 'old one', newPassword: 'new one' },
    });
    expect(toPasswordReset('tok', { newPassword: '', repeat: '' })).toMatchObject({ ok: false });
    expect(toPasswordReset('tok', { newPassword: 'x y z', repeat: 'x y z' })).toEqual({
      ok: true,
      value: { token: 'tok', newPassword: 'x y z' },
    });
  });

  it('trims a code and refuses an empty one', () => {
    expect(toCode(' 123 456 ')).toEqual({ ok: true, value: { code: '123 456' } });
    expect(toCode('  ')).toMatchObject({ ok: false, errors: { code: 'Enter the code.' } });
  });

  it('names a device by browser and system', () => {
    const android =
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
    expect(describeDevice(android)).toBe('Chrome on Android');
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox on Windows',
    );
    expect(describeDevice(null)).toBe('Unknown device');
    expect(describeDevice('curl/8.5')).toBe('curl/8.5');
  });

  it('lists recovery codes one a line for copying', () => {
    expect(recoveryCodesText(['AAAA-BBBB', 'CCCC-DDDD'])).toContain('AAAA-BBBB\nCCCC-DDDD\n');
  });
});
