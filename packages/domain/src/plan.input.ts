// Plan input shape, shared by the tRPC procedures, the CLI and the PWA form.
import { z } from 'zod';
import { assertCurrency } from './money.ts';

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
});
export type PlanInput = z.input<typeof planInput>;
export type PlanValues = z.output<typeof planInput>;

export const planPatch = planFields.partial();
export type PlanPatch = z.input<typeof planPatch>;
export const planUpdateInput = z.object({ id: z.uuid(), patch: planPatch });
