// Plan input shape, shared by the tRPC procedures, the CLI and the PWA form.
import { z } from 'zod';
import { assertCurrency } from './money.ts';
import { PERIOD_UNITS } from './billing-period.ts';

/** Who a plan is sold to: voucher cards, monthly subscribers, or both (ADR 0015). */
export const PLAN_AUDIENCES = ['voucher', 'subscriber', 'both'] as const;
export type PlanAudience = (typeof PLAN_AUDIENCES)[number];
export const BILLING_MODES = ['prepaid', 'postpaid'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

const bps = z.number().int().min(8_000, 'At least 8k').max(100_000_000_000);
const seconds = z
  .number()
  .int()
  .positive()
  .max(10 * 366 * 86_400);

export const burstInput = z.object({
  downloadBps: bps,
  uploadBps: bps,
  thresholdDownloadBps: bps,
  thresholdUploadBps: bps,
  timeSeconds: z.number().int().min(1).max(3600),
});

/** The fields without defaults: a patch must leave what it does not mention untouched. */
const planFields = z.object({
  name: z.string().trim().min(1).max(80),
  downloadBps: bps,
  uploadBps: bps,
  burst: burstInput.nullable(),
  validitySeconds: seconds.nullable(),
  timeQuotaSeconds: seconds.nullable(),
  dataQuotaBytes: z.bigint().positive().nullable(),
  sharedUsers: z.number().int().min(1).max(1000),
  idleTimeoutSeconds: seconds.nullable(),
  interimIntervalSeconds: z.number().int().min(60).max(86_400),
  addressPool: z.string().trim().min(1).max(64).nullable(),
  exhaustedAction: z.enum(['reject', 'walled_garden']),
  walledGardenList: z.string().trim().min(1).max(63),
  priceMinor: z.bigint().nonnegative(),
  audience: z.enum(PLAN_AUDIENCES),
  /** A subscriber pays `priceMinor` every `billingPeriodCount` × `billingPeriodUnit`. */
  billingPeriodUnit: z.enum(PERIOD_UNITS),
  billingPeriodCount: z.number().int().min(1).max(366),
  billingMode: z.enum(BILLING_MODES),
  /** One-off charge on a subscriber's first invoice; null = none. */
  installationFeeMinor: z.bigint().positive().nullable(),
  currency: z.string().transform((c, ctx) => {
    try {
      return assertCurrency(c);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'ISO 4217 code such as KES or USD' });
      return z.NEVER;
    }
  }),
});

export const planInput = planFields.extend({
  burst: planFields.shape.burst.default(null),
  validitySeconds: planFields.shape.validitySeconds.default(null),
  timeQuotaSeconds: planFields.shape.timeQuotaSeconds.default(null),
  dataQuotaBytes: planFields.shape.dataQuotaBytes.default(null),
  sharedUsers: planFields.shape.sharedUsers.default(1),
  idleTimeoutSeconds: planFields.shape.idleTimeoutSeconds.default(null),
  interimIntervalSeconds: planFields.shape.interimIntervalSeconds.default(300),
  addressPool: planFields.shape.addressPool.default(null),
  exhaustedAction: planFields.shape.exhaustedAction.default('reject'),
  walledGardenList: planFields.shape.walledGardenList.default('kasi-walled-garden'),
  audience: planFields.shape.audience.default('both'),
  billingPeriodUnit: planFields.shape.billingPeriodUnit.default('month'),
  billingPeriodCount: planFields.shape.billingPeriodCount.default(1),
  billingMode: planFields.shape.billingMode.default('prepaid'),
  installationFeeMinor: planFields.shape.installationFeeMinor.default(null),
});
export type PlanInput = z.input<typeof planInput>;
export type PlanValues = z.output<typeof planInput>;

export const planPatch = planFields.partial();
export type PlanPatch = z.input<typeof planPatch>;
export const planUpdateInput = z.object({ id: z.uuid(), patch: planPatch });

/** Moving a subscriber to another plan: at their next period, or now with proration. */
export const planChangeInput = z.object({
  subscriberId: z.uuid(),
  planId: z.uuid(),
  when: z.enum(['now', 'next_period']),
});
export type PlanChangeInput = z.input<typeof planChangeInput>;
