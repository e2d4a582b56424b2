// Handlers for billing's job kinds, and the per-tenant schedule of the daily run.
import { sql } from 'drizzle-orm';
import { withTenant, type Executor } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { localDay } from './billing-calendar.ts';
import { billingRunJob, invoiceIssuedSmsJob, reminderJob, restoreJob } from './billing-job-kinds.ts';
import { runBilling } from './billing-run.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { restoreAfterPayment } from './dunning-actions.ts';
import { invoiceForText, sendBillingSms, textInvoiceIssued } from './billing-sms.ts';
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
  // Each tenant's settings are behind row-level security (ADR 0019).
  for (const t of tenants)
    await withTenant(t.id, () => app.db.transaction((tx) => scheduleBillingRun(app, tx, t.id)));
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
      // The text goes through the SMS outbox with a key per invoice and reminder day, so a job
      // run twice (a retry, two processes) queues it once; a paid or voided invoice gets none.
      async run({ data }) {
        return app.db.transaction(async (tx) => {
          const inv = await invoiceForText(tx, data.tenantId, data.invoiceId);
          if (!inv?.owed)
            return { intent: 'skip (paid or void)', invoice: inv?.number ?? null, offset: data.offset };
          const sms = await sendBillingSms(app, tx, {
            tenantId: data.tenantId,
            subscriberId: data.subscriberId,
            event: 'reminder',
            invoiceId: data.invoiceId,
            vars: inv.vars,
            dedupeKey: `reminder:${data.invoiceId}:${data.offset}`,
          });
          return {
            intent: 'remind',
            invoice: inv.number,
            offset: data.offset,
            sms: sms ? { id: sms.id, status: sms.status } : 'no phone number',
          };
        });
      },
    }),
    defineJobHandler({
      kind: invoiceIssuedSmsJob,
      batchSize: 20,
      // Enqueued by the billing run in the transaction that issued the chunk's invoices; each
      // text is keyed per invoice, so a retried or repeated job queues it once (billing-sms.ts).
      // One transaction per invoice: a failing one does not roll back the texts before it.
      async run({ data }) {
        const texts: ({ invoiceId: string } & Awaited<ReturnType<typeof textInvoiceIssued>>)[] = [];
        for (const invoiceId of data.invoiceIds) {
          const out = await app.db.transaction((tx) => textInvoiceIssued(app, tx, data.tenantId, invoiceId));
          texts.push({ invoiceId, ...out });
        }
        return { texts };
      },
    }),
    defineJobHandler({
      kind: restoreJob,
      // Four loops of five: a restore whose router is slow to answer holds up four others at most.
      batchSize: 5,
      concurrency: 4,
      async run({ data }) {
        const results = await restoreAfterPayment(app, data.tenantId, data.subscriberId);
        return results ? { restored: true, disconnects: results } : { restored: false };
      },
    }),
  ];
}
