// Handlers for billing's job kinds, and the per-tenant schedule of the daily run.
import { sql } from 'drizzle-orm';
import { invoices, type Executor } from '@kasi/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { localDay } from './billing-calendar.ts';
import { billingRunJob, reminderJob, restoreJob } from './billing-job-kinds.ts';
import { runBilling } from './billing-run.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { restoreAfterPayment } from './dunning-actions.ts';
import { loadDunningPolicy } from './dunning-policy.ts';

/** Creates or moves the tenant's daily run to its local hour; called where settings change. */
export async function scheduleBillingRun(app: AppContext, tx: Executor, tenantId: string) {
  const settings = await loadBillingSettings(tx, tenantId);
  const { runHour } = await loadDunningPolicy(tx, tenantId);
  await app.jobs.schedule(tx, {
    kind: billingRunJob,
    cron: `0 ${runHour} * * *`,
    tz: settings.effectiveTimezone,
    key: tenantId,
    data: { tenantId },
  });
}

/** At start: every tenant has its daily run (a tenant that never saved settings too). */
export async function scheduleAllBillingRuns(app: AppContext) {
  const tenants = await app.db.execute<{ id: string }>(sql`select id from tenants`);
  for (const t of tenants) await app.db.transaction((tx) => scheduleBillingRun(app, tx, t.id));
}

export function billingHandlers(app: AppContext): JobHandler[] {
  const log = app.log.child({ component: 'billing' });
  return [
    defineJobHandler({
      kind: billingRunJob,
      batchSize: 1,
      async run({ data }) {
        const { effectiveTimezone } = await loadBillingSettings(app.db, data.tenantId);
        const day = data.day ?? localDay(new Date(), effectiveTimezone);
        const r = await runBilling(app, { tenantId: data.tenantId, day });
        log.info({ tenantId: data.tenantId, day, issued: r.issued, suspended: r.suspended }, 'billing run');
        return { day, issued: r.issued, suspended: r.suspended, reminders: r.remindersQueued };
      },
    }),
    defineJobHandler({
      kind: reminderJob,
      batchSize: 20,
      // The SMS templates come with their own issue: until then the intent is the job's output.
      async run({ data }) {
        const [inv] = await app.db
          .select({ status: invoices.status, number: invoices.displayNumber })
          .from(invoices)
          .where(and(eq(invoices.tenantId, data.tenantId), eq(invoices.id, data.invoiceId)));
        const owed = inv?.status === 'open' || inv?.status === 'partially_paid';
        return {
          intent: owed ? 'remind' : 'skip (paid or void)',
          invoice: inv?.number ?? null,
          offset: data.offset,
        };
      },
    }),
    defineJobHandler({
      kind: restoreJob,
      batchSize: 10,
      async run({ data }) {
        const results = await restoreAfterPayment(app, data.tenantId, data.subscriberId);
        return results ? { restored: true, disconnects: results } : { restored: false };
      },
    }),
  ];
}
