// The tenant's dunning policy, from billing settings (defaults until the tenant saves any):
// reminder days around the due date, the grace before suspension, the days on which nobody
// is suspended, whether a suspended account keeps being invoiced, and the run's local hour.
import { eq } from 'drizzle-orm';
import { billingSettings, type Executor } from '@kasi/db';
import { weekday } from './billing-calendar.ts';

export interface DunningPolicy {
  runHour: number;
  /** Days relative to the due date on which a reminder goes out (−3: three days before). */
  reminderDays: number[];
  graceDays: number;
  /** 0 Sunday … 6 Saturday. */
  noSuspendWeekdays: number[];
  /** Local dates, YYYY-MM-DD. */
  holidays: string[];
  accrueWhileSuspended: boolean;
}

export const DEFAULT_DUNNING: DunningPolicy = {
  runHour: 2,
  reminderDays: [-3, 0, 3],
  graceDays: 3,
  noSuspendWeekdays: [0, 6],
  holidays: [],
  accrueWhileSuspended: false,
};

export async function loadDunningPolicy(db: Executor, tenantId: string): Promise<DunningPolicy> {
  const [row] = await db.select().from(billingSettings).where(eq(billingSettings.tenantId, tenantId));
  if (!row) return DEFAULT_DUNNING;
  return {
    runHour: row.runHour,
    reminderDays: row.reminderDays,
    graceDays: row.graceDays,
    noSuspendWeekdays: row.noSuspendWeekdays,
    holidays: row.holidays,
    accrueWhileSuspended: row.accrueWhileSuspended,
  };
}

/** Whether `day` is one on which dunning suspends nobody (a weekend day or a holiday). */
export const isQuietDay = (p: DunningPolicy, day: string) =>
  p.noSuspendWeekdays.includes(weekday(day)) || p.holidays.includes(day);
