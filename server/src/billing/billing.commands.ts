// CLI: `invoice:show`, `invoice:void`, `payment:record`, `plan:update` (billing terms). Each
// resolves names (tenant slug, subscriber username, invoice number) and calls one service.
import { and, eq } from 'drizzle-orm';
import { invoices, plans, subscribers, tenants } from '@kasi/db';
import {
  BILLING_MODES,
  formatMoney,
  invalid,
  notFound,
  parseMoney,
  PAYMENT_METHODS,
  PERIOD_UNITS,
  PLAN_AUDIENCES,
  type PlanPatch,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import type { Command, CommandArgs } from '../cli/commands.ts';
import { updatePlan } from '../plans/plan.service.ts';
import { createCreditNote } from './credit-note.service.ts';
import { getInvoice } from './invoice.service.ts';
import { recordPayment, type RecordedPayment } from './payment.service.ts';

const str = { type: 'string' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const opt = (a: CommandArgs, key: string) =>
  typeof a[key] === 'string' && a[key] ? (a[key] as string) : undefined;
function need(a: CommandArgs, key: string): string {
  const v = opt(a, key);
  if (!v) throw invalid('CLI.MISSING_OPTION', `--${key} is required`);
  return v;
}
function oneOf<T extends string>(a: CommandArgs, key: string, allowed: readonly T[]): T | undefined {
  const v = opt(a, key);
  if (v !== undefined && !(allowed as readonly string[]).includes(v)) {
    throw invalid('CLI.BAD_OPTION', `--${key} is one of ${allowed.join(', ')}`);
  }
  return v as T | undefined;
}

async function tenantActor(app: AppContext, a: CommandArgs): Promise<Actor & { currency: string }> {
  const slug = need(a, 'tenant');
  const [t] = await app.db
    .select({ id: tenants.id, currency: tenants.currency })
    .from(tenants)
    .where(eq(tenants.slug, slug));
  if (!t) throw notFound('TENANT.NOT_FOUND', `No tenant "${slug}"`);
  return { tenantId: t.id, userId: null, label: 'cli', role: 'owner', requestId: null, currency: t.currency };
}

/** An invoice by its number (INV-000012) or id. */
async function invoiceId(app: AppContext, tenantId: string, ref: string): Promise<string> {
  const match = UUID.test(ref) ? eq(invoices.id, ref) : eq(invoices.displayNumber, ref);
  const [row] = await app.db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.kind, 'invoice'), match));
  if (!row) throw notFound('INVOICE.NOT_FOUND', `No invoice "${ref}"`);
  return row.id;
}

async function subscriberId(app: AppContext, tenantId: string, ref: string): Promise<string> {
  const match = UUID.test(ref) ? eq(subscribers.id, ref) : eq(subscribers.username, ref);
  const [row] = await app.db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(eq(subscribers.tenantId, tenantId), match));
  if (!row) throw notFound('SUBSCRIBER.NOT_FOUND', `No subscriber "${ref}"`);
  return row.id;
}

type ShownInvoice = Awaited<ReturnType<typeof getInvoice>>;

function describeInvoice(inv: ShownInvoice): string {
  const m = (amountMinor: bigint) => formatMoney({ amountMinor, currency: inv.currency });
  const lines = inv.lines.map(
    (l) =>
      `  ${l.quantity} × ${l.description}  ${m(l.totalMinor)}${l.taxName ? `  (${l.taxName}${l.taxInclusive ? ' incl.' : ''})` : ''}`,
  );
  return [
    `${inv.displayNumber ?? 'Draft'} — ${inv.subscriber.username} — ${inv.status}`,
    ...lines,
    `  Net ${m(inv.subtotalMinor)}  Tax ${m(inv.taxMinor)}  Total ${m(inv.totalMinor)}  Due ${m(inv.dueMinor)}`,
    ...inv.creditNotes.map(
      (c) => `  Credit note ${c.displayNumber ?? '(awaiting approval)'}: ${m(c.totalMinor)}`,
    ),
  ].join('\n');
}

export const billingCommands: Record<string, Command> = {
  'invoice:show': {
    summary: 'Show an invoice: lines, tax, totals, what is due, credit notes',
    usage: '--tenant S --invoice INV-000001',
    options: { tenant: str, invoice: str },
    run: async (app, a) => {
      const actor = await tenantActor(app, a);
      return getInvoice(app, actor, await invoiceId(app, actor.tenantId, need(a, 'invoice')));
    },
    describe: (r) => describeInvoice(r as ShownInvoice),
  },
  'invoice:void': {
    summary: 'Void an invoice by a credit note for all of it (waits for approval above the threshold)',
    usage: '--tenant S --invoice INV-000001 --reason "billed twice"',
    options: { tenant: str, invoice: str, reason: str },
    run: async (app, a) => {
      const actor = await tenantActor(app, a);
      const id = await invoiceId(app, actor.tenantId, need(a, 'invoice'));
      return createCreditNote(app, actor, { invoiceId: id, reason: need(a, 'reason') });
    },
    describe: (r) => {
      const n = r as { displayNumber: string | null; status: string };
      return n.status === 'draft'
        ? 'Credit note requested: it waits for a second person to approve it.'
        : `Voided by credit note ${n.displayNumber}.`;
    },
  },
  'payment:record': {
    summary: 'Record a cash, bank transfer or cheque payment; it pays the oldest open invoice first',
    usage:
      '--tenant S --subscriber USERNAME --amount 1500.00 --method cash|bank_transfer|cheque [--receipt R] [--invoice INV-…] [--reference REF] [--source ID]',
    options: {
      tenant: str,
      subscriber: str,
      amount: str,
      currency: str,
      method: str,
      receipt: str,
      invoice: str,
      reference: str,
      source: str,
    },
    run: async (app, a) => {
      const actor = await tenantActor(app, a);
      const currency = opt(a, 'currency') ?? actor.currency;
      const invoice = opt(a, 'invoice');
      return recordPayment(app, actor, {
        subscriberId: await subscriberId(app, actor.tenantId, need(a, 'subscriber')),
        amountMinor: parseMoney(need(a, 'amount'), currency).amountMinor,
        currency,
        method: oneOf(a, 'method', PAYMENT_METHODS) ?? 'cash',
        receiptNumber: opt(a, 'receipt') ?? null,
        invoiceId: invoice ? await invoiceId(app, actor.tenantId, invoice) : null,
        reference: opt(a, 'reference') ?? null,
        sourceId: opt(a, 'source') ?? null,
      });
    },
    describe: (r) => {
      const { payment, created, balanceMinor } = r as RecordedPayment;
      const m = (amountMinor: bigint) => formatMoney({ amountMinor, currency: payment.currency });
      const state = balanceMinor > 0n ? `owes ${m(balanceMinor)}` : `credit ${m(-balanceMinor)}`;
      return `${created ? 'Recorded' : 'Already recorded'} ${m(payment.amountMinor)}, receipt ${payment.receiptNumber}; ${state}.`;
    },
  },
  'plan:update': {
    summary: 'Change a plan’s price and billing terms (a new version; subscribers move at their next period)',
    usage:
      '--tenant S --plan NAME [--price 2500.00] [--period month|week|day] [--every N] [--mode prepaid|postpaid] [--installation-fee 1500.00|none] [--audience voucher|subscriber|both]',
    options: {
      tenant: str,
      plan: str,
      price: str,
      period: str,
      every: str,
      mode: str,
      'installation-fee': str,
      audience: str,
    },
    run: async (app, a) => {
      const actor = await tenantActor(app, a);
      const ref = need(a, 'plan');
      const [plan] = await app.db
        .select({ id: plans.id, currency: plans.currency })
        .from(plans)
        .where(
          and(eq(plans.tenantId, actor.tenantId), UUID.test(ref) ? eq(plans.id, ref) : eq(plans.name, ref)),
        );
      if (!plan) throw notFound('PLAN.NOT_FOUND', `No plan "${ref}"`);
      const price = opt(a, 'price');
      const fee = opt(a, 'installation-fee');
      const every = opt(a, 'every');
      const patch: PlanPatch = {
        ...(price && { priceMinor: parseMoney(price, plan.currency).amountMinor }),
        ...(opt(a, 'period') && { billingPeriodUnit: oneOf(a, 'period', PERIOD_UNITS) }),
        ...(every && { billingPeriodCount: Number(every) }),
        ...(opt(a, 'mode') && { billingMode: oneOf(a, 'mode', BILLING_MODES) }),
        ...(opt(a, 'audience') && { audience: oneOf(a, 'audience', PLAN_AUDIENCES) }),
        ...(fee && {
          installationFeeMinor: fee === 'none' ? null : parseMoney(fee, plan.currency).amountMinor,
        }),
      };
      if (Object.keys(patch).length === 0) throw invalid('CLI.MISSING_OPTION', 'Nothing to change');
      return updatePlan(app, actor, plan.id, patch);
    },
    describe: (r) => {
      const p = r as { name: string; version: number; priceMinor: bigint; currency: string };
      const every = r as { billingPeriodCount: number; billingPeriodUnit: string; billingMode: string };
      return `Plan ${p.name} is now version ${p.version}: ${formatMoney({ amountMinor: p.priceMinor, currency: p.currency })} every ${every.billingPeriodCount} ${every.billingPeriodUnit}(s), ${every.billingMode}.`;
    },
  },
};
