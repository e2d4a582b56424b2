// The billing run for one tenant and one local day D (ADR 0016): issue and finalise every
// invoice due to be issued, open the next periods, then dunning — reminders enqueued,
// suspensions made. Idempotent: invoices are unique per subscriber and period, reminders
// are deduplicated per invoice and day, suspensions re-check under lock; a second run for
// the day writes nothing. Accounts are written in chunks, each its own transaction that
// locks its accounts in subscriber order (two runs at once wait, never deadlock).
import { writeAudit } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { addDays, dayStart, parseDay } from './billing-calendar.ts';
import { planAccount, type PlannedInvoice, type RunRules } from './billing-run.plan.ts';
import { ensureAccounts, readAccounts } from './billing-run.read.ts';
import { writeChunk } from './billing-run.write.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { billingActor, suspendForDebt } from './dunning-actions.ts';
import { dueReminders, dueSuspensions, type Reminder } from './dunning.ts';
import { isQuietDay, loadDunningPolicy } from './dunning-policy.ts';
import { reminderJob } from './billing-job-kinds.ts';

export interface BillingRunOptions {
  tenantId: string;
  /** The tenant-local day, YYYY-MM-DD. */
  day: string;
  dryRun?: boolean;
  /** The run's clock (promises to pay, pending payments, issue time); default now. */
  at?: Date;
  chunkSize?: number;
}

export interface BillingRunReport {
  day: string;
  dryRun: boolean;
  issued: number;
  /** In a dry run: what would be issued. */
  invoices: PlannedInvoice[];
  reminders: Reminder[];
  remindersQueued: number;
  suspensions: { subscriberId: string; invoiceId: string }[];
  suspended: number;
  quietDay: boolean;
}

export async function runBilling(app: AppContext, o: BillingRunOptions): Promise<BillingRunReport> {
  const day = parseDay(o.day);
  const at = o.at ?? new Date();
  const settings = await loadBillingSettings(app.db, o.tenantId);
  const policy = await loadDunningPolicy(app.db, o.tenantId);
  const timeZone = settings.effectiveTimezone;
  const statuses = policy.accrueWhileSuspended ? ['active', 'suspended'] : ['active'];
  const rules: RunRules = {
    timeZone,
    day,
    billingDay: settings.billingDay,
    issueDaysBeforeDue: settings.issueDaysBeforeDue,
    dueDays: settings.dueDays,
    taxRateId: settings.defaultTaxRateId,
  };
  const lead = Math.max(0, settings.issueDaysBeforeDue - settings.dueDays);
  const horizon = dayStart(addDays(day, lead + 1), timeZone);
  if (!o.dryRun) await ensureAccounts(app.db, o.tenantId, statuses);
  const seen = await readAccounts(app.db, { tenantId: o.tenantId, statuses, horizon });
  const todo = seen
    .map((state) => ({ state, plan: planAccount(state, rules) }))
    .filter((w) => w.plan.invoices.length > 0 || w.plan.period);
  const report: BillingRunReport = {
    day,
    dryRun: o.dryRun ?? false,
    issued: 0,
    invoices: todo.flatMap((w) => w.plan.invoices),
    reminders: [],
    remindersQueued: 0,
    suspensions: [],
    suspended: 0,
    quietDay: isQuietDay(policy, day),
  };
  const size = o.chunkSize ?? 1000;
  for (let i = 0; !o.dryRun && i < todo.length; i += size) {
    const ids = todo.slice(i, i + size).map((w) => w.state.subscriberId);
    report.issued += await app.db.transaction(async (tx) => {
      // Read again under the accounts' locks: another run may have written them meanwhile.
      const locked = await readAccounts(tx, { tenantId: o.tenantId, statuses, horizon, lockIds: ids });
      const work = locked.map((state) => ({ state, plan: planAccount(state, rules) }));
      return writeChunk(tx, { tenantId: o.tenantId, settings, at }, work);
    });
  }
  const dunning = { tenantId: o.tenantId, day, timeZone, at, policy };
  report.reminders = await dueReminders(app.db, dunning);
  report.suspensions = await dueSuspensions(app.db, dunning);
  if (o.dryRun) return { ...report, issued: 0 };
  report.remindersQueued = await app.db.transaction((tx) =>
    app.jobs.enqueueMany(
      tx,
      reminderJob,
      report.reminders.map((r) => ({
        data: { tenantId: o.tenantId, ...r, day },
        dedupeKey: `${r.invoiceId}:${r.offset}`,
      })),
    ),
  );
  // A few at a time: each waits for its routers' Disconnect answers (up to 3 s when one is silent).
  const queue = [...report.suspensions];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      if (await suspendForDebt(app, o.tenantId, s.subscriberId, day, at)) report.suspended += 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (report.issued > 0 || report.suspended > 0) {
    await app.db.transaction((tx) =>
      writeAudit(tx, {
        ...auditActor(billingActor(o.tenantId)),
        action: 'billing.run',
        entityType: 'tenant',
        entityId: o.tenantId,
        after: { day, issued: report.issued, suspended: report.suspended, reminders: report.remindersQueued },
      }),
    );
  }
  return { ...report, invoices: [] };
}
