// What an operator submits for a gateway: the adapter's own config schema plus, for M-Pesa,
// which Daraja environment the credentials belong to.
import { z } from 'zod';
import { parseCidr } from '@kasi/domain';
import { mpesaConfigSchema, paypalConfigSchema, stripeConfigSchema } from '@kasi/payments';

export const GATEWAYS = ['mpesa', 'stripe', 'paypal'] as const;
export const gatewayName = z.enum(GATEWAYS);

export const gatewaySettingsInput = z.discriminatedUnion('gateway', [
  z.object({
    gateway: z.literal('mpesa'),
    environment: z.enum(['sandbox', 'production']).default('sandbox'),
    config: mpesaConfigSchema,
    /** Addresses M-Pesa calls from (its published ranges); empty: any, the path token alone. */
    allowedSources: z
      .array(
        z
          .string()
          .trim()
          .refine((c) => parseCidr(c) !== null, 'An address or range such as 196.201.214.0/24'),
      )
      .max(50)
      .default([]),
  }),
  z.object({ gateway: z.literal('stripe'), config: stripeConfigSchema }),
  z.object({
    gateway: z.literal('paypal'),
    environment: z.enum(['sandbox', 'live']).default('sandbox'),
    config: paypalConfigSchema,
  }),
]);
export type GatewaySettingsInput = z.input<typeof gatewaySettingsInput>;
export type GatewaySettings = z.output<typeof gatewaySettingsInput>;

export const gatewayToggleInput = z.object({ gateway: gatewayName, enabled: z.boolean() });
export const gatewayRefInput = z.object({ gateway: gatewayName });
