// A subscriber's current billing period. The billing run opens each period; a plan change
// "now" prorates over it. The end follows the plan's terms on the tenant's calendar.
import { and, eq } from 'drizzle-orm';
import { billingAccounts, plans, subscribers } from '@kasi/db';
import { addPeriods, notFound } from '@kasi/domain';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney, type Tx } from './billing-tx.ts';

export async function openBillingPeriod(tx: Tx, tenantId: string, subscriberId: string, start: Date) {
  return withSubscriberMoney(tx, tenantId, subscriberId, async () => {
    const [row] = await tx
      .select({ plan: plans })
      .from(subscribers)
      .innerJoin(plans, eq(plans.id, subscribers.planId))
      .where(and(eq(subscribers.tenantId, tenantId), eq(subscribers.id, subscriberId)));
    if (!row) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
    const settings = await loadBillingSettings(tx, tenantId);
    const terms = { unit: row.plan.billingPeriodUnit, count: row.plan.billingPeriodCount };
    const end = addPeriods(start, terms, settings.effectiveTimezone);
    const [acct] = await tx
      .update(billingAccounts)
      .set({ periodStart: start, periodEnd: end, planVersion: row.plan.version, updatedAt: new Date() })
      .where(eq(billingAccounts.subscriberId, subscriberId))
      .returning();
    return acct;
  });
}
