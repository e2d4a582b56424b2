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

export const planInput = z.object({
  name: z.string().trim().min(1).max(80),
  downloadBps: bps,
  uploadBps: bps,
  burst: burstInput.nullable().default(null),
  validitySeconds: seconds.nullable().default(null),
  timeQuotaSeconds: seconds.nullable().default(null),
  dataQuotaBytes: z.bigint().positive().nullable().default(null),
  sharedUsers: z.number().int().min(1).max(1000).default(1),
  idleTimeoutSeconds: seconds.nullable().default(null),
  interimIntervalSeconds: z.number().int().min(60).max(86_400).default(300),
  addressPool: z.string().trim().min(1).max(64).nullable().default(null),
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
export type PlanInput = z.input<typeof planInput>;
export type PlanValues = z.output<typeof planInput>;

export const planUpdateInput = z.object({ id: z.uuid(), patch: planInput.partial() });
