// Input shapes for agents, their devices, leases and cash, shared by tRPC, the CLI and the PWA.
import { z } from 'zod';
import { assertCurrency } from './money.ts';

const currency = z.string().transform((c, ctx) => {
  try {
    return assertCurrency(c);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'ISO 4217 code such as KES or USD' });
    return z.NEVER;
  }
});

/** Basis points: 250 = 2.5 %. Integers only, so commission math stays exact. */
export const commissionBps = z.number().int().min(0).max(10_000);
const limitMinor = z
  .bigint()
  .nonnegative()
  .max(10n ** 15n);
const note = z.string().trim().min(1).max(300);

export const agentInput = z.object({
  email: z.email().max(200),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(10).max(200),
  /** How much the agent may owe (unsold stock at face value + unreconciled cash). 0 = prepaid float only. */
  creditLimitMinor: limitMinor.default(0n),
  commissionBps: commissionBps.default(0),
});
export type AgentInput = z.input<typeof agentInput>;

export const agentUpdateInput = z.object({
  id: z.uuid(),
  patch: z
    .object({
      creditLimitMinor: limitMinor,
      commissionBps,
      status: z.enum(['active', 'suspended']),
    })
    .partial(),
});
export type AgentUpdateInput = z.input<typeof agentUpdateInput>;

/** An ECDSA P-256 public key as WebCrypto exports it (JWK), or SPKI DER in base64. */
export const devicePublicKey = z.union([
  z.object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  }),
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(400),
]);
export type DevicePublicKey = z.input<typeof devicePublicKey>;

export const deviceRegisterInput = z.object({
  label: z.string().trim().min(1).max(80),
  publicKey: devicePublicKey,
});
export type DeviceRegisterInput = z.input<typeof deviceRegisterInput>;

export const deviceStatusInput = z.object({
  deviceId: z.uuid(),
  reason: z.string().trim().max(300).nullable().default(null),
});
export type DeviceStatusInput = z.input<typeof deviceStatusInput>;

export const MAX_LEASE_SIZE = 1_000;

export const leaseInput = z.object({
  deviceId: z.uuid(),
  planId: z.uuid(),
  count: z.number().int().min(1).max(MAX_LEASE_SIZE),
});
export type LeaseInput = z.input<typeof leaseInput>;

export const handoverInput = z.object({
  agentId: z.uuid(),
  amountMinor: z
    .bigint()
    .positive()
    .max(10n ** 15n),
  currency,
  note: note.optional(),
});
export type HandoverInput = z.input<typeof handoverInput>;

/** Positive: the agent owes more (a shortfall charged); negative: the agent is credited. */
export const adjustmentInput = z.object({
  agentId: z.uuid(),
  amountMinor: z
    .bigint()
    .min(-(10n ** 15n))
    .max(10n ** 15n)
    .refine((v) => v !== 0n, 'Not zero'),
  currency,
  note,
});
export type AdjustmentInput = z.input<typeof adjustmentInput>;

export const salesReportInput = z.object({
  from: z.date(),
  to: z.date(),
  agentId: z.uuid().optional(),
});
export type SalesReportInput = z.input<typeof salesReportInput>;

export const conflictResolveInput = z.object({
  id: z.uuid(),
  note,
  /** Optional charge to the agent's ledger (e.g. a sale that surfaced only at first login). */
  chargeMinor: z
    .bigint()
    .min(-(10n ** 15n))
    .max(10n ** 15n)
    .optional(),
});
export type ConflictResolveInput = z.input<typeof conflictResolveInput>;
