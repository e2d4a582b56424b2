// Subscriber input shapes, shared by tRPC, the CLI and the PWA.
import { z } from 'zod';

const mac = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$/, 'MAC address like AA:BB:CC:DD:EE:FF')
  .transform((m) => m.replace(/[:-]/g, '').toUpperCase().match(/../g)?.join(':') ?? m);

export const subscriberInput = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]+$/, 'Letters, digits and . _ @ - only'),
  password: z.string().min(6).max(128),
  planId: z.uuid(),
  service: z.enum(['any', 'pppoe', 'hotspot']).default('any'),
  macAddress: mac.nullable().default(null),
  framedIp: z.ipv4().nullable().default(null),
  expiresAt: z.date().nullable().default(null),
  fullName: z.string().trim().max(120).nullable().default(null),
  phone: z.string().trim().max(32).nullable().default(null),
});
export type SubscriberInput = z.input<typeof subscriberInput>;

export const subscriberStatusInput = z.object({
  id: z.uuid(),
  status: z.enum(['active', 'disabled', 'suspended']),
  reason: z.string().trim().max(200).nullable().default(null),
});
