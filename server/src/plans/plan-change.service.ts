// Moving a subscriber to another plan: at their next period (the billing run applies it),
// or now with proration by the second, previewed first. An upgrade is invoiced now (the new
// plan's rest of the period less the old plan's unused part); a downgrade is credited.
import { and, eq } from 'drizzle-orm';
import {
  billingAccounts,
  invoiceLines,
  invoices,
  plans,
  subscribers,
  writeAudit,
  type Executor,
} from '@kasi/db';
import {
  conflict,
  formatMoney,
  invalid,
  notFound,
  planChangeInput,
  prorateChange,
  type PlanChangeInput,
  type PlanChangeProration,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { loadBillingSettings } from '../billing/billing-settings.service.ts';
import { withSubscriberMoney, type MoneyContext } from '../billing/billing-tx.ts';
import { displayNumber, nextDocumentNumber } from '../billing/document-series.ts';
import { textInvoiceIssued } from '../billing/billing-sms.ts';
import { finaliseInTx, insertDraft } from '../billing/invoice-issue.ts';
import { appendLedger } from '../billing/ledger.ts';

type PlanRow = typeof plans.$inferSelect;

export interface PlanChangePreview {
  subscriberId: string;
  when: 'now' | 'next_period';
  from: { id: string; name: string; priceMinor: bigint; version: number };
  to: { id: string; name: string; priceMinor: bigint; version: number };
  currency: string;
  /** The current period, when the subscriber has been billed for one. */
  period: { start: Date; end: Date } | null;
  at: Date;
  /** null: nothing to prorate (next period, or no billed period yet). */
  proration: PlanChangeProration | null;
}

async function planOf(db: Executor, tenantId: string, id: string): Promise<PlanRow | undefined> {
  const [p] = await db
    .select()
    .from(plans)
    .where(and(eq(plans.tenantId, tenantId), eq(plans.id, id)));
  return p;
}

async function buildPreview(
  db: Executor,
  actor: Actor,
  input: PlanChangeInput,
  at: Date,
): Promise<PlanChangePreview> {
  const v = planChangeInput.parse(input);
  const [sub] = await db
    .select({
      planId: subscribers.planId,
      currency: billingAccounts.currency,
      start: billingAccounts.periodStart,
      end: billingAccounts.periodEnd,
    })
    .from(subscribers)
    .leftJoin(billingAccounts, eq(billingAccounts.subscriberId, subscribers.id))
    .where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, v.subscriberId)));
  if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  const from = await planOf(db, actor.tenantId, sub.planId);
  const to = await planOf(db, actor.tenantId, v.planId);
  if (!from || !to) throw notFound('PLAN.NOT_FOUND', 'No such plan');
  if (to.archivedAt)
    throw conflict('PLAN.ARCHIVED', `The plan "${to.name}" is archived`, { field: 'planId' });
  if (to.audience === 'voucher') {
    throw invalid('PLAN.NOT_FOR_SUBSCRIBERS', `The plan "${to.name}" is sold on vouchers only`, {
      field: 'planId',
    });
  }
  if (to.id === from.id)
    throw conflict('PLAN_CHANGE.SAME_PLAN', 'The subscriber is already on that plan', { field: 'planId' });
  const settings = await loadBillingSettings(db, actor.tenantId);
  if (to.currency !== settings.currency) {
    throw invalid(
      'PLAN.WRONG_CURRENCY',
      `The plan is priced in ${to.currency}, the tenant bills in ${settings.currency}`,
      {
        field: 'planId',
      },
    );
  }
  const period = sub.start && sub.end ? { start: sub.start, end: sub.end } : null;
  const live = period && at >= period.start && at < period.end;
  return {
    subscriberId: v.subscriberId,
    when: v.when,
    from: { id: from.id, name: from.name, priceMinor: from.priceMinor, version: from.version },
    to: { id: to.id, name: to.name, priceMinor: to.priceMinor, version: to.version },
    currency: settings.currency,
    period,
    at,
    proration: v.when === 'now' && live ? prorateChange(from.priceMinor, to.priceMinor, period, at) : null,
  };
}

export async function previewPlanChange(
  app: AppContext,
  actor: Actor,
  input: PlanChangeInput,
  at = new Date(),
) {
  requirePermission(actor, 'billing.read');
  requirePermission(actor, 'subscriber.read');
  return buildPreview(app.db, actor, input, at);
}

/** A downgrade's credit: a credit note that names no invoice, numbered in the credit series. */
async function creditDowngrade(m: MoneyContext, amountMinor: bigint, p: PlanChangePreview) {
  const settings = await loadBillingSettings(m.tx, m.tenantId);
  const number = await nextDocumentNumber(m.tx, m.tenantId, 'credit_note');
  const description = `Plan change ${p.from.name} → ${p.to.name}: unused ${formatMoney({ amountMinor, currency: p.currency })}`;
  const [note] = await m.tx
    .insert(invoices)
    .values({
      tenantId: m.tenantId,
      subscriberId: m.subscriberId,
      kind: 'credit_note',
      status: 'paid',
      number,
      displayNumber: displayNumber(settings.creditNotePrefix, number),
      currency: p.currency,
      subtotalMinor: amountMinor,
      totalMinor: amountMinor,
      reason: description,
      issuedAt: new Date(),
    })
    .returning();
  if (!note) throw new Error('credit note insert returned nothing');
  await m.tx.insert(invoiceLines).values({
    tenantId: m.tenantId,
    invoiceId: note.id,
    position: 0,
    kind: 'proration',
    description,
    quantity: 1,
    unitPriceMinor: amountMinor,
    netMinor: amountMinor,
    taxMinor: 0n,
    totalMinor: amountMinor,
  });
  await appendLedger(m.tx, {
    tenantId: m.tenantId,
    subscriberId: m.subscriberId,
    currency: p.currency,
    kind: 'credit_note',
    sourceType: 'credit_note',
    sourceId: note.id,
    amountMinor: -amountMinor,
  });
  return note.id;
}

async function chargeUpgrade(m: MoneyContext, p: PlanChangePreview, r: PlanChangeProration) {
  const settings = await loadBillingSettings(m.tx, m.tenantId);
  const tax = settings.defaultTaxRateId;
  const draft = await insertDraft(m.tx, {
    tenantId: m.tenantId,
    subscriberId: m.subscriberId,
    periodStart: p.at,
    periodEnd: p.period?.end ?? null,
    lines: [
      {
        kind: 'proration',
        description: `${p.to.name}, rest of the period`,
        unitPriceMinor: r.chargeMinor,
        taxRateId: tax,
      },
      {
        kind: 'proration',
        description: `Unused ${p.from.name}`,
        unitPriceMinor: -r.creditMinor,
        taxRateId: tax,
      },
    ],
  });
  return draft.id;
}

export async function applyPlanChange(
  app: AppContext,
  actor: Actor,
  input: PlanChangeInput,
  at = new Date(),
) {
  requirePermission(actor, 'billing.write');
  requirePermission(actor, 'subscriber.write');
  return app.db.transaction(async (tx) => {
    const preview = await buildPreview(tx, actor, input, at);
    let invoiceId: string | null = null;
    let creditNoteId: string | null = null;
    await withSubscriberMoney(tx, actor.tenantId, preview.subscriberId, async (m) => {
      if (preview.when === 'next_period') {
        await tx
          .update(billingAccounts)
          .set({ nextPlanId: preview.to.id, nextPlanVersion: preview.to.version, updatedAt: at })
          .where(eq(billingAccounts.subscriberId, m.subscriberId));
        return;
      }
      await tx
        .update(subscribers)
        .set({ planId: preview.to.id, updatedAt: at })
        .where(eq(subscribers.id, m.subscriberId));
      await tx
        .update(billingAccounts)
        .set({ planVersion: preview.to.version, nextPlanId: null, nextPlanVersion: null, updatedAt: at })
        .where(eq(billingAccounts.subscriberId, m.subscriberId));
      const r = preview.proration;
      if (r && r.netMinor > 0n) invoiceId = await chargeUpgrade(m, preview, r);
      if (r && r.netMinor < 0n) creditNoteId = await creditDowngrade(m, -r.netMinor, preview);
    });
    if (invoiceId) {
      await finaliseInTx(tx, actor.tenantId, invoiceId, at);
      await textInvoiceIssued(app, tx, actor.tenantId, invoiceId);
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'subscriber.plan_change',
      entityType: 'subscriber',
      entityId: preview.subscriberId,
      before: { planId: preview.from.id, version: preview.from.version },
      after: {
        planId: preview.to.id,
        version: preview.to.version,
        when: preview.when,
        invoiceId,
        creditNoteId,
        proration: preview.proration,
      },
    });
    return { preview, invoiceId, creditNoteId };
  });
}
