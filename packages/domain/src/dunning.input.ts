// The dunning policy and the per-account dunning actions, as operators send them (ADR 0016).
import { z } from 'zod';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date like 2026-12-25')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'Not a date');

export const dunningPolicyPatch = z
  .object({
    /** Tenant-local hour of the daily billing run. */
    runHour: z.number().int().min(0).max(23),
    /** Reminder days relative to the due date (−3: three days before). */
    reminderDays: z.array(z.number().int().min(-60).max(60)).max(10),
    graceDays: z.number().int().min(0).max(90),
    /** Weekdays (0 Sunday … 6 Saturday) on which nobody is suspended. */
    noSuspendWeekdays: z.array(z.number().int().min(0).max(6)).max(7),
    holidays: z.array(isoDay).max(100),
    accrueWhileSuspended: z.boolean(),
  })
  .partial();
export type DunningPolicyPatch = z.input<typeof dunningPolicyPatch>;

export const promiseToPayInput = z.object({
  subscriberId: z.uuid(),
  days: z.number().int().min(1).max(60),
});
export type PromiseToPayInput = z.input<typeof promiseToPayInput>;

export const neverSuspendInput = z.object({ subscriberId: z.uuid(), neverSuspend: z.boolean() });
