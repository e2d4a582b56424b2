// Report ranges in whole days of the tenant's calendar. "1–7 March" means the tenant's local
// days, the same days sales are grouped by, whatever time zone the operator's browser is in.
import { z } from 'zod';
import { invalid } from '@kasi/domain';

export const DEFAULT_REPORT_DAYS = 7;
export const MAX_REPORT_DAYS = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayToUtc(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day ? d : null;
}

export const isoDay = z
  .string()
  .regex(DAY, 'A date such as 2026-03-01')
  .refine((s) => dayToUtc(s) !== null, 'Not a real date');

export const salesDaysInput = z.object({
  /** First day, inclusive. Default: six days before `toDay` (a week). */
  fromDay: isoDay.optional(),
  /** Last day, inclusive. Default: the tenant's today. */
  toDay: isoDay.optional(),
  agentId: z.uuid().optional(),
});
export type SalesDaysInput = z.input<typeof salesDaysInput>;

/** Calendar arithmetic on YYYY-MM-DD, free of any time zone. */
export function addDays(day: string, n: number): string {
  const d = dayToUtc(day);
  if (!d) throw invalid('REPORT.BAD_DAY', `"${day}" is not a date`);
  return new Date(d.getTime() + n * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (1 for a single day). */
export function daysBetween(from: string, to: string): number {
  const a = dayToUtc(from);
  const b = dayToUtc(to);
  if (!a || !b) throw invalid('REPORT.BAD_DAY', 'Not a date');
  return Math.round((b.getTime() - a.getTime()) / 86_400_000) + 1;
}

/** Fills in the defaults and refuses a backwards or overlong range. */
export function resolveDays(
  input: { fromDay?: string | undefined; toDay?: string | undefined },
  today: string,
): { fromDay: string; toDay: string } {
  const toDay = input.toDay ?? today;
  const fromDay = input.fromDay ?? addDays(toDay, 1 - DEFAULT_REPORT_DAYS);
  const span = daysBetween(fromDay, toDay);
  if (span < 1) throw invalid('REPORT.BACKWARDS', 'The first day comes after the last day');
  if (span > MAX_REPORT_DAYS) {
    throw invalid('REPORT.TOO_LONG', `A report covers at most ${MAX_REPORT_DAYS} days`);
  }
  return { fromDay, toDay };
}
