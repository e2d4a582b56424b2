import { describe, expect, it } from 'vitest';
import { emptySmsSettings, smsBadge, smsCost, toSmsSettings } from './sms-view.ts';

describe('SMS view helpers', () => {
  it('shows statuses in plain words with a tone', () => {
    expect(smsBadge('delivered')).toEqual({ label: 'Delivered', tone: 'ok' });
    expect(smsBadge('failed')).toEqual({ label: 'Failed', tone: 'danger' });
    expect(smsBadge('queued')).toEqual({ label: 'Queued', tone: 'warn' });
  });

  it('formats reported costs from millionths without floats', () => {
    expect(smsCost(800_000n, 'KES')).toBe('KES 0.80');
    expect(smsCost(7_500n, 'USD')).toBe('USD 0.0075');
    expect(smsCost(-7_500n, 'USD')).toBe('USD -0.0075');
    expect(smsCost(null, null)).toBe('—');
  });

  it('turns the settings form into the shared input, blank credentials kept, errors per field', () => {
    const f = { ...emptySmsSettings(), username: 'acme', countryCode: '+254', bulkApprovalThreshold: '200' };
    const ok = toSmsSettings(f);
    expect(ok).toEqual({
      ok: true,
      value: {
        provider: 'africastalking',
        environment: 'live',
        username: 'acme',
        countryCode: '254',
        senderId: null,
        defaultLanguage: 'en',
        bulkApprovalThreshold: 200,
      },
    });
    const bad = toSmsSettings({
      ...f,
      countryCode: '0',
      senderId: 'way too long sender',
      bulkApprovalThreshold: 'lots',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(Object.keys(bad.errors).sort()).toEqual(['bulkApprovalThreshold', 'countryCode', 'senderId']);
  });
});
