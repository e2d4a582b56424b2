// CLI: `billing:run --tenant S --date YYYY-MM-DD [--dry-run]` — the day's billing run by hand
// (the same function the daily job calls). A dry run lists what would be issued, reminded and
// suspended, and writes nothing.
import { eq, inArray } from 'drizzle-orm';
import { subscribers, tenants } from '@kasi/db';
import { formatMoney, invalid, notFound } from '@kasi/domain';
import type { Command } from '../cli/commands.ts';
import { runBilling, type BillingRunReport } from './billing-run.ts';
import { parseDay } from './billing-calendar.ts';

interface Shown extends BillingRunReport {
  currency: string;
  usernames: Record<string, string>;
}

const lineTotal = (lines: BillingRunReport['invoices'][number]['lines']) =>
  lines.reduce((s, l) => s + BigInt(l.unitPriceMinor) * BigInt(l.quantity ?? 1), 0n);

function describeRun(r: Shown): string {
  const name = (id: string) => r.usernames[id] ?? id;
  const out: string[] = [];
  if (r.dryRun) {
    out.push(`Dry run for ${r.day}: nothing was written.`, `Would issue ${r.invoices.length} invoice(s):`);
    for (const inv of r.invoices) {
      const period = `${inv.periodStart.toISOString().slice(0, 10)} – ${inv.periodEnd.toISOString().slice(0, 10)}`;
      out.push(
        `  ${name(inv.subscriberId)}  ${period}  ${formatMoney({ amountMinor: lineTotal(inv.lines), currency: r.currency })} before tax`,
      );
    }
    out.push(`Would remind ${r.reminders.length}.`);
    out.push(
      r.quietDay
        ? 'Would suspend nobody: no suspensions on this day (weekend or holiday).'
        : `Would suspend ${r.suspensions.length}: ${r.suspensions.map((s) => name(s.subscriberId)).join(', ') || '—'}`,
    );
    return out.join('\n');
  }
  return `Billing run for ${r.day}: ${r.issued} invoice(s) issued, ${r.remindersQueued} reminder(s) queued, ${r.suspended} suspended.`;
}

export const billingRunCommand: Command = {
  summary: 'Run the day’s billing: issue due invoices, queue reminders, suspend overdue accounts',
  usage: '--tenant S --date YYYY-MM-DD [--dry-run]',
  options: { tenant: { type: 'string' }, date: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  run: async (app, a) => {
    const slug = typeof a['tenant'] === 'string' ? a['tenant'] : '';
    if (!slug) throw invalid('CLI.MISSING_OPTION', '--tenant is required');
    if (typeof a['date'] !== 'string') throw invalid('CLI.MISSING_OPTION', '--date is required');
    const day = parseDay(a['date'], 'date');
    const [t] = await app.db.select().from(tenants).where(eq(tenants.slug, slug));
    if (!t) throw notFound('TENANT.NOT_FOUND', `No tenant "${slug}"`);
    const r = await runBilling(app, { tenantId: t.id, day, dryRun: a['dry-run'] === true });
    const ids = [
      ...new Set([...r.invoices.map((i) => i.subscriberId), ...r.suspensions.map((s) => s.subscriberId)]),
    ];
    const names = ids.length
      ? await app.db
          .select({ id: subscribers.id, username: subscribers.username })
          .from(subscribers)
          .where(inArray(subscribers.id, ids))
      : [];
    return {
      ...r,
      currency: t.currency,
      usernames: Object.fromEntries(names.map((n) => [n.id, n.username])),
    };
  },
  describe: (r) => describeRun(r as Shown),
};
