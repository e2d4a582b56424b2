import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;

describe('configuration', () => {
  it('runs without SMS when no Twilio setting is given', () => {
    const c = loadConfig({});
    expect(c.sms.twilio).toBeNull();
    expect(c.sms.hotspotUrl).toBe('http://hotspot.lan');
    expect(c.jobs).toEqual({ pollMs: 5000, maxAttempts: 8 });
  });

  it('takes all three Twilio settings, with the API URL defaulting to Twilio', () => {
    const c = loadConfig({
      KASI_TWILIO_ACCOUNT_SID: SID,
      KASI_TWILIO_AUTH_TOKEN: 'token',
      KASI_TWILIO_FROM: '+15005550006',
      KASI_SMS_COUNTRY_CODE: '254',
    });
    expect(c.sms.twilio).toEqual({
      accountSid: SID,
      authToken: 'token',
      from: '+15005550006',
      apiUrl: 'https://api.twilio.com',
    });
    expect(c.sms.countryCode).toBe('254');
  });

  it('refuses half a Twilio configuration and a malformed account SID', () => {
    expect(() => loadConfig({ KASI_TWILIO_ACCOUNT_SID: SID })).toThrow(/set all of/);
    expect(() => loadConfig({ KASI_TWILIO_ACCOUNT_SID: 'AC123' })).toThrow(/KASI_TWILIO_ACCOUNT_SID/);
  });

  it('reads trusted proxies as a list of addresses and CIDRs, none by default', () => {
    expect(loadConfig({}).http).toMatchObject({ trustedProxies: [], maxBodyBytes: 1024 * 1024 });
    const c = loadConfig({ KASI_TRUSTED_PROXIES: ' 10.0.0.0/8, ::1 ', KASI_HTTP_MAX_BODY_BYTES: '65536' });
    expect(c.http).toMatchObject({ trustedProxies: ['10.0.0.0/8', '::1'], maxBodyBytes: 65536 });
    expect(() => loadConfig({ KASI_TRUSTED_PROXIES: 'proxy.lan' })).toThrow(/KASI_TRUSTED_PROXIES/);
  });
});
