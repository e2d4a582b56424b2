// The two status changes billing makes itself, through the subscribers' own suspend/resume
// path (audited, then a Disconnect-Request to every live session): suspension for non-payment
// and the restore when the overdue debt is paid. Each re-checks its reasons under the
// subscriber's lock, so a cron and a webhook arriving together change the account once
// (FOSSBilling #3106). Only accounts dunning suspended are restored: an operator's own
// suspension stays. The Disconnect outcome is kept on the billing account for the page.
import { and, eq, sql } from 'drizzle-orm';
import { billingAccounts, type Transaction } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { setSubscriberStatus } from '../subscribers/subscriber-status.service.ts';
import { localDay } from './billing-calendar.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { dueSuspensions, overdueInvoice } from './dunning.ts';
import { loadDunningPolicy } from './dunning-policy.ts';
import { restoredVars, sendBillingSms } from './billing-sms.ts';

/** Billing acting on its own, named in the audit trail. */
export const billingActor = (tenantId: string): Actor => ({
  tenantId,
  userId: null,
  label: 'billing',
  role: 'owner',
  requestId: null,
});

type Disconnects = Awaited<ReturnType<typeof setSubscriberStatus>>['disconnects'];

async function recordDisconnects(
  app: AppContext,
  subscriberId: string,
  action: 'suspend' | 'restore',
  at: Date,
  d: Disconnects,
) {
  const results = d.map((x) => ({ sessionId: String(x.sessionId), status: x.result.status }));
  await app.db
    .update(billingAccounts)
    .set({ lastDisconnect: { action, at: at.toISOString(), results } })
    .where(eq(billingAccounts.subscriberId, subscriberId));
  return results;
}

export async function suspendForDebt(
  app: AppContext,
  tenantId: string,
  subscriberId: string,
  day: string,
  at: Date,
) {
  const actor = billingActor(tenantId);
  const outcome = await setSubscriberStatus(
    app,
    actor,
    { id: subscriberId, status: 'suspended', reason: 'overdue' },
    {
      async allow(tx: Transaction) {
        const { effectiveTimezone: timeZone } = await loadBillingSettings(tx, tenantId);
        const policy = await loadDunningPolicy(tx, tenantId);
        const still = await dueSuspensions(tx, { tenantId, day, timeZone, at, policy }, subscriberId);
        if (still.length === 0) return false;
        await tx
          .update(billingAccounts)
          .set({ dunningSuspendedAt: at, updatedAt: at })
          .where(eq(billingAccounts.subscriberId, subscriberId));
        await sendBillingSms(app, tx, {
          tenantId,
          subscriberId,
          event: 'suspended',
          vars: { reason: 'unpaid invoice' },
          dedupeKey: `suspended:${subscriberId}:${at.toISOString()}`,
        });
        return true;
      },
    },
  );
  if (!outcome.changed) return null;
  return recordDisconnects(app, subscriberId, 'suspend', at, outcome.disconnects);
}

/** Restores an account dunning suspended once no invoice is left unpaid past its grace. */
export async function restoreAfterPayment(
  app: AppContext,
  tenantId: string,
  subscriberId: string,
  at = new Date(),
) {
  const actor = billingActor(tenantId);
  const outcome = await setSubscriberStatus(
    app,
    actor,
    { id: subscriberId, status: 'active', reason: 'paid' },
    {
      async allow(tx, before) {
        if (before.status !== 'suspended') return false;
        const [acct] = await tx
          .select({ since: billingAccounts.dunningSuspendedAt })
          .from(billingAccounts)
          .where(and(eq(billingAccounts.tenantId, tenantId), eq(billingAccounts.subscriberId, subscriberId)));
        if (!acct?.since) return false;
        const { effectiveTimezone: timeZone } = await loadBillingSettings(tx, tenantId);
        const policy = await loadDunningPolicy(tx, tenantId);
        const day = localDay(at, timeZone);
        const [owed] = await tx.execute<{ n: number }>(sql`
          select count(*)::int as n from invoices i
          where i.tenant_id = ${tenantId} and i.subscriber_id = ${subscriberId}
            and ${overdueInvoice({ day, timeZone, policy })}`);
        if ((owed?.n ?? 0) > 0) return false;
        await tx
          .update(billingAccounts)
          .set({ dunningSuspendedAt: null, updatedAt: at })
          .where(eq(billingAccounts.subscriberId, subscriberId));
        await sendBillingSms(app, tx, {
          tenantId,
          subscriberId,
          event: 'restored',
          vars: await restoredVars(tx, tenantId, subscriberId),
          dedupeKey: `restored:${subscriberId}:${acct.since.toISOString()}`,
        });
        return true;
      },
    },
  );
  if (!outcome.changed) return null;
  return recordDisconnects(app, subscriberId, 'restore', at, outcome.disconnects);
}
