// No invoices pile up for the months an account was suspended (UCRM #139): when it is resumed
// after its period ended, its next period starts on the day of the resume, not where the old
// one ended. A tenant whose policy says suspended accounts keep accruing keeps the old periods
// (the run went on billing them). Called by every resume, in its transaction.
import { and, eq } from 'drizzle-orm';
import { billingAccounts } from '@kasi/db';
import { openBillingPeriod } from './billing-account.ts';
import { dayStart, localDay } from './billing-calendar.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import type { Tx } from './billing-tx.ts';
import { loadDunningPolicy } from './dunning-policy.ts';

export async function restartPeriodAfterSuspension(tx: Tx, tenantId: string, subscriberId: string, at: Date) {
  // However it was resumed, the account is no longer one dunning suspended: a later manual
  // suspension must not be lifted by a payment.
  await tx
    .update(billingAccounts)
    .set({ dunningSuspendedAt: null })
    .where(and(eq(billingAccounts.tenantId, tenantId), eq(billingAccounts.subscriberId, subscriberId)));
  const [acct] = await tx
    .select({ end: billingAccounts.periodEnd })
    .from(billingAccounts)
    .where(and(eq(billingAccounts.tenantId, tenantId), eq(billingAccounts.subscriberId, subscriberId)));
  if (!acct?.end || acct.end > at) return;
  if ((await loadDunningPolicy(tx, tenantId)).accrueWhileSuspended) return;
  const { effectiveTimezone: tz } = await loadBillingSettings(tx, tenantId);
  await openBillingPeriod(tx, tenantId, subscriberId, dayStart(localDay(at, tz), tz));
}
