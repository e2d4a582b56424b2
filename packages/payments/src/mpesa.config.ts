// The credentials an operator enters for Daraja (stored encrypted per tenant).
import { z } from 'zod';

export const mpesaConfigSchema = z
  .object({
    consumerKey: z.string().trim().min(1),
    consumerSecret: z.string().trim().min(1),
    /** Paybill number, or for a Till the store (head office) number. */
    shortcode: z
      .string()
      .trim()
      .regex(/^\d{5,7}$/, 'A shortcode is 5 to 7 digits'),
    passkey: z.string().trim().min(1),
    kind: z.enum(['paybill', 'till']),
    /** Till number (PartyB) for Buy Goods; a Paybill pays its own shortcode. */
    tillNumber: z
      .string()
      .trim()
      .regex(/^\d{5,7}$/)
      .nullable()
      .default(null),
    /** For Transaction Status (lost callbacks): the API operator's name and encrypted credential. */
    initiatorName: z.string().trim().min(1).nullable().default(null),
    securityCredential: z.string().trim().min(1).nullable().default(null),
    /** Pull Transactions is enabled for the shortcode (Safaricom turns it on): daily reconciliation asks it. */
    c2bPull: z.boolean().default(false),
  })
  .refine((c) => c.kind === 'paybill' || c.tillNumber !== null, {
    message: 'A Till needs its till number',
    path: ['tillNumber'],
  });
export type MpesaConfig = z.output<typeof mpesaConfigSchema>;
export type MpesaConfigInput = z.input<typeof mpesaConfigSchema>;
