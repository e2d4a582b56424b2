// An operator's own Stripe keys (stored encrypted per tenant): the secret key and the signing
// secret of the webhook endpoint they created for Kasi's per-tenant URL.
import { z } from 'zod';

export const stripeConfigSchema = z.object({
  secretKey: z
    .string()
    .trim()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'A Stripe secret key starts sk_test_ or sk_live_'),
  webhookSecret: z
    .string()
    .trim()
    .regex(/^whsec_\w+$/, 'A webhook signing secret starts whsec_'),
});
export type StripeConfig = z.output<typeof stripeConfigSchema>;
export type StripeConfigInput = z.input<typeof stripeConfigSchema>;

/** Live keys only accept live events (and test keys test ones): a test event never credits a live tenant. */
export const isLiveKey = (secretKey: string) => /_live_/.test(secretKey);
