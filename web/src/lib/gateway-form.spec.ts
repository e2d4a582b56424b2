import { describe, expect, it } from 'vitest';
import { emptyMpesa, emptyStripe, toMpesaSettings, toStripeSettings } from './gateway-form.ts';

describe('gateway settings forms', () => {
  it('names every blank M-Pesa field, and the till number only for a Till', () => {
    const paybill = toMpesaSettings(emptyMpesa());
    expect(paybill.ok).toBe(false);
    if (!paybill.ok)
      expect(Object.keys(paybill.errors).sort()).toEqual([
        'config.consumerKey',
        'config.consumerSecret',
        'config.passkey',
        'config.shortcode',
      ]);
    const till = toMpesaSettings({ ...emptyMpesa(), kind: 'till' });
    expect(!till.ok && till.errors['config.tillNumber']).toBe('Required');
  });

  it('sends trimmed values and leaves optional ones null', () => {
    const r = toMpesaSettings({
      ...emptyMpesa(),
      consumerKey: ' ck ',
      consumerSecret: 'cs',
      shortcode: '174379',
      passkey: 'pk',
      tillNumber: '999',
      allowedSources: ' 196.201.214.0/24,  196.201.213.0/24 ',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        gateway: 'mpesa',
        environment: 'sandbox',
        allowedSources: ['196.201.214.0/24', '196.201.213.0/24'],
        config: {
          consumerKey: 'ck',
          consumerSecret: 'cs',
          shortcode: '174379',
          passkey: 'pk',
          kind: 'paybill',
          tillNumber: null,
          initiatorName: null,
          securityCredential: null,
          c2bPull: false,
        },
      },
    });
  });

  it('needs both Stripe secrets', () => {
    expect(toStripeSettings(emptyStripe()).ok).toBe(false);
    expect(toStripeSettings({ secretKey: 'sk_test_1', webhookSecret: 'whsec_1' })).toMatchObject({
      ok: true,
    });
  });
});
