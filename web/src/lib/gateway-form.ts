// The online-payment settings forms: what an owner types for M-Pesa (Daraja), Stripe or PayPal,
// turned into `gateway.set` input. The server's schemas hold the rules (shortcode digits, key
// prefixes); here only blanks are caught, so nothing is sent half-filled.
import type { FieldErrors } from './errors.ts';
import type { Parsed } from './form-input.ts';

export interface MpesaFields {
  environment: 'sandbox' | 'production';
  kind: 'paybill' | 'till';
  shortcode: string;
  tillNumber: string;
  consumerKey: string;
  consumerSecret: string;
  passkey: string;
  initiatorName: string;
  securityCredential: string;
  /** Safaricom enabled Pull Transactions for the shortcode: daily reconciliation asks it (ADR 0029). */
  c2bPull: boolean;
  /** M-Pesa's source addresses, comma or space separated; blank: any. */
  allowedSources: string;
}

export interface StripeFields {
  secretKey: string;
  webhookSecret: string;
}

export const emptyMpesa = (): MpesaFields => ({
  environment: 'sandbox',
  kind: 'paybill',
  shortcode: '',
  tillNumber: '',
  consumerKey: '',
  consumerSecret: '',
  passkey: '',
  initiatorName: '',
  securityCredential: '',
  c2bPull: false,
  allowedSources: '',
});

export const emptyStripe = (): StripeFields => ({ secretKey: '', webhookSecret: '' });

export interface PaypalFields {
  environment: 'sandbox' | 'live';
  clientId: string;
  clientSecret: string;
  webhookId: string;
  brandName: string;
}

export const emptyPaypal = (): PaypalFields => ({
  environment: 'sandbox',
  clientId: '',
  clientSecret: '',
  webhookId: '',
  brandName: '',
});

function required(values: Readonly<Record<string, string | boolean>>, names: readonly string[]): FieldErrors {
  return Object.fromEntries(
    names.filter((n) => !String(values[n] ?? '').trim()).map((n) => [`config.${n}`, 'Required']),
  );
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function toMpesaSettings(f: MpesaFields) {
  const need = [
    'consumerKey',
    'consumerSecret',
    'shortcode',
    'passkey',
    ...(f.kind === 'till' ? ['tillNumber'] : []),
  ];
  const errors = required({ ...f }, need);
  if (Object.keys(errors).length > 0) return { ok: false, errors } as const;
  const value = {
    gateway: 'mpesa' as const,
    environment: f.environment,
    allowedSources: f.allowedSources.split(/[\s,]+/).filter(Boolean),
    config: {
      consumerKey: f.consumerKey.trim(),
      consumerSecret: f.consumerSecret.trim(),
      shortcode: f.shortcode.trim(),
      passkey: f.passkey.trim(),
      kind: f.kind,
      tillNumber: f.kind === 'till' ? orNull(f.tillNumber) : null,
      initiatorName: orNull(f.initiatorName),
      securityCredential: orNull(f.securityCredential),
      c2bPull: f.c2bPull,
    },
  };
  return { ok: true, value } satisfies Parsed<typeof value>;
}

export function toStripeSettings(f: StripeFields) {
  const errors = required({ ...f }, ['secretKey', 'webhookSecret']);
  if (Object.keys(errors).length > 0) return { ok: false, errors } as const;
  const value = {
    gateway: 'stripe' as const,
    config: { secretKey: f.secretKey.trim(), webhookSecret: f.webhookSecret.trim() },
  };
  return { ok: true, value } satisfies Parsed<typeof value>;
}

export function toPaypalSettings(f: PaypalFields) {
  const errors = required({ ...f }, ['clientId', 'clientSecret', 'webhookId']);
  if (Object.keys(errors).length > 0) return { ok: false, errors } as const;
  const value = {
    gateway: 'paypal' as const,
    environment: f.environment,
    config: {
      clientId: f.clientId.trim(),
      clientSecret: f.clientSecret.trim(),
      webhookId: f.webhookId.trim(),
      brandName: orNull(f.brandName),
    },
  };
  return { ok: true, value } satisfies Parsed<typeof value>;
}
