// An operator's own PayPal REST app (stored encrypted per tenant): client id and secret, and
// the id PayPal gave the webhook they created for Kasi's per-tenant URL (verification names it).
import { z } from 'zod';

export const paypalConfigSchema = z.object({
  clientId: z.string().trim().min(10, 'The REST app client id from the PayPal developer dashboard'),
  clientSecret: z.string().trim().min(10, 'The REST app secret from the PayPal developer dashboard'),
  webhookId: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{8,40}$/, 'The webhook id PayPal shows for Kasi’s webhook URL'),
  /** The name on PayPal's page (the operator's brand); empty: the PayPal account's own. */
  brandName: z.string().trim().max(127).nullable().default(null),
});
export type PaypalConfig = z.output<typeof paypalConfigSchema>;
export type PaypalConfigInput = z.input<typeof paypalConfigSchema>;

/**
 * Currencies PayPal takes, and those it takes only in whole units although ISO 4217 gives
 * them two decimals (HUF, TWD) — JPY has none in either.
 */
export const PAYPAL_CURRENCIES = new Set([
  'AUD',
  'BRL',
  'CAD',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MYR',
  'MXN',
  'TWD',
  'NZD',
  'NOK',
  'PHP',
  'PLN',
  'GBP',
  'SGD',
  'SEK',
  'CHF',
  'THB',
  'USD',
]);
export const PAYPAL_WHOLE_UNITS = new Set(['HUF', 'TWD', 'JPY']);
