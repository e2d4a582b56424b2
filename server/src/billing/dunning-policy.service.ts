// Operators change the dunning policy (part of the billing settings, audited, the daily run
// moved to the new hour in the same transaction), and per account: "never suspend" and a
// promise-to-pay extension of N days.
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { billingAccounts, billingSettings, writeAudit } from '@kasi/db';
import { dunningPolicyPatch, neverSuspendInput, promiseToPayInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { addDays, dayStart, localDay } from './billing-calendar.ts';
import { scheduleBillingRun } from './billing-jobs.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney } from './billing-tx.ts';
import { loadDunningPolicy } from './dunning-policy.ts';

export async function getDunningPolicy(app: AppContext, actor: Actor) {
  requirePermission(actor, 'billing.read');
  return loadDunningPolicy(app.db, actor.tenantId);
}

export async function updateDunningPolicy(
  app: AppContext,
  actor: Actor,
  patch: z.input<typeof dunningPolicyPatch>,
) {
  requirePermission(actor, 'billing.write');
  const values = dunningPolicyPatch.parse(patch);
  return app.db.transaction(async (tx) => {
    const before = await loadDunningPolicy(tx, actor.tenantId);
    await tx
      .insert(billingSettings)
      .values({ ...values, tenantId: actor.tenantId })
      .onConflictDoUpdate({ target: billingSettings.tenantId, set: { ...values, updatedAt: new Date() } });
    const after = await loadDunningPolicy(tx, actor.tenantId);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'billing.dunning_policy',
      entityType: 'tenant',
      entityId: actor.tenantId,
      before,
      after,
    });
    await scheduleBillingRun(app, tx, actor.tenantId);
    return after;
  });
}

/** No suspension for this account until the end of the local day N days from today. */
export async function promiseToPay(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof promiseToPayInput>,
  at = new Date(),
) {
  requirePermission(actor, 'billing.write');
  const v = promiseToPayInput.parse(input);
  return app.db.transaction(async (tx) => {
    const { effectiveTimezone: tz } = await loadBillingSettings(tx, actor.tenantId);
    const until = dayStart(addDays(localDay(at, tz), v.days + 1), tz);
    await withSubscriberMoney(tx, actor.tenantId, v.subscriberId, () =>
      tx
        .update(billingAccounts)
        .set({ promiseToPayUntil: until, updatedAt: at })
        .where(
          and(eq(billingAccounts.tenantId, actor.tenantId), eq(billingAccounts.subscriberId, v.subscriberId)),
        ),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'billing.promise_to_pay',
      entityType: 'subscriber',
      entityId: v.subscriberId,
      after: { days: v.days, until: until.toISOString() },
    });
    return { subscriberId: v.subscriberId, promiseToPayUntil: until };
  });
}

export async function setNeverSuspend(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof neverSuspendInput>,
) {
  requirePermission(actor, 'billing.write');
  const v = neverSuspendInput.parse(input);
  return app.db.transaction(async (tx) => {
    await withSubscriberMoney(tx, actor.tenantId, v.subscriberId, () =>
      tx
        .update(billingAccounts)
        .set({ neverSuspend: v.neverSuspend, updatedAt: new Date() })
        .where(
          and(eq(billingAccounts.tenantId, actor.tenantId), eq(billingAccounts.subscriberId, v.subscriberId)),
        ),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'billing.never_suspend',
      entityType: 'subscriber',
      entityId: v.subscriberId,
      after: { neverSuspend: v.neverSuspend },
    });
    return v;
  });
}
