// Manual payments (cash, bank transfer, cheque). One transaction writes the payment, its
// ledger entry, its allocations (the named invoice first, then oldest first; the rest stays
// as credit), the receipt event and the audit row — or nothing at all.
import { and, asc, desc, eq } from 'drizzle-orm';
import { allocations, invoices, payments, subscribers, violatedConstraint, writeAudit } from '@kasi/db';
import { conflict, invalid, notFound, paymentInput, type PaymentInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney, type MoneyContext } from './billing-tx.ts';
import { displayNumber, nextDocumentNumber } from './document-series.ts';
import { appendLedger, balanceOf } from './ledger.ts';
import { allocate } from './settle.ts';
import { onPaymentRecorded } from './billing-events.ts';
import { moneyText, sendBillingSms } from './billing-sms.ts';

export type PaymentRow = typeof payments.$inferSelect;

function checkAmount(v: { amountMinor: bigint; currency: string }, tenantCurrency: string) {
  if (v.amountMinor <= 0n) {
    throw invalid('PAYMENT.AMOUNT_NOT_POSITIVE', 'A payment is more than zero', { field: 'amountMinor' });
  }
  if (v.currency !== tenantCurrency) {
    throw invalid('PAYMENT.WRONG_CURRENCY', `Payments are in ${tenantCurrency}, not ${v.currency}`, {
      field: 'currency',
    });
  }
}

async function targetInvoice(m: MoneyContext, invoiceId: string) {
  const [inv] = await m.tx
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, m.tenantId),
        eq(invoices.id, invoiceId),
        eq(invoices.subscriberId, m.subscriberId),
      ),
    );
  if (!inv || inv.kind !== 'invoice') throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
  if (inv.status === 'void') {
    throw conflict('PAYMENT.INVOICE_VOID', `Invoice ${inv.displayNumber} is void`, { field: 'invoiceId' });
  }
  if (inv.status === 'draft') {
    throw conflict('PAYMENT.INVOICE_DRAFT', 'Finalise the invoice before taking payment for it', {
      field: 'invoiceId',
    });
  }
  return inv;
}

async function insertPayment(m: MoneyContext, actor: Actor, v: ReturnType<typeof paymentInput.parse>) {
  const settings = await loadBillingSettings(m.tx, m.tenantId);
  const receiptNumber =
    v.receiptNumber ??
    displayNumber(settings.receiptPrefix, await nextDocumentNumber(m.tx, m.tenantId, 'receipt'));
  try {
    const [row] = await m.tx
      .insert(payments)
      .values({
        tenantId: m.tenantId,
        subscriberId: m.subscriberId,
        method: v.method,
        amountMinor: v.amountMinor,
        currency: v.currency,
        receiptNumber,
        reference: v.reference,
        sourceId: v.sourceId,
        recordedBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('payment insert returned nothing');
    return row;
  } catch (e) {
    if (violatedConstraint(e) === 'payments_tenant_source') {
      throw conflict('PAYMENT.SOURCE_REUSED', 'That source id belongs to another subscriber’s payment', {
        field: 'sourceId',
      });
    }
    if (violatedConstraint(e) === 'payments_tenant_receipt') {
      throw conflict('PAYMENT.RECEIPT_TAKEN', `Receipt number ${receiptNumber} is already used`, {
        field: 'receiptNumber',
      });
    }
    throw e;
  }
}

export interface RecordedPayment {
  payment: PaymentRow;
  /** False when the same source id was recorded before: nothing new was written. */
  created: boolean;
  balanceMinor: bigint;
}

export async function recordPayment(
  app: AppContext,
  actor: Actor,
  input: PaymentInput,
): Promise<RecordedPayment> {
  requirePermission(actor, 'billing.write');
  const v = paymentInput.parse(input);
  return app.db.transaction(async (tx) => {
    const outcome = await withSubscriberMoney(
      tx,
      actor.tenantId,
      v.subscriberId,
      async (m) => {
        checkAmount(v, m.currency);
        if (v.sourceId) {
          const [seen] = await tx
            .select()
            .from(payments)
            .where(and(eq(payments.tenantId, m.tenantId), eq(payments.sourceId, v.sourceId)));
          if (seen) return { payment: seen, created: false };
        }
        const target = v.invoiceId ? await targetInvoice(m, v.invoiceId) : null;
        const payment = await insertPayment(m, actor, v);
        await appendLedger(tx, {
          tenantId: m.tenantId,
          subscriberId: m.subscriberId,
          kind: 'payment',
          sourceType: 'payment',
          sourceId: payment.id,
          amountMinor: -payment.amountMinor,
          currency: payment.currency,
        });
        if (target && target.status !== 'paid') {
          const due = target.totalMinor - target.allocatedMinor;
          const take = due < payment.amountMinor ? due : payment.amountMinor;
          await allocate(tx, { ...m, sourceType: 'payment', sourceId: payment.id }, [
            { invoiceId: target.id, amountMinor: take },
          ]);
        }
        await onPaymentRecorded(tx, {
          tenantId: m.tenantId,
          subscriberId: m.subscriberId,
          sourceId: payment.id,
        });
        return { payment, created: true };
      },
      (r) => (r.created ? r.payment.id : null),
    );
    if (outcome.created) {
      await writeAudit(tx, {
        ...auditActor(actor),
        action: 'payment.record',
        entityType: 'payment',
        entityId: outcome.payment.id,
        after: outcome.payment,
      });
    }
    const balanceMinor = await balanceOf(tx, actor.tenantId, v.subscriberId);
    if (outcome.created) {
      // The receipt text, once per payment (a replayed webhook records nothing new).
      const p = outcome.payment;
      await sendBillingSms(app, tx, {
        tenantId: actor.tenantId,
        subscriberId: v.subscriberId,
        event: 'payment_received',
        vars: {
          amount: moneyText(p.amountMinor, p.currency),
          balance: moneyText(balanceMinor, p.currency),
          receipt: p.receiptNumber ?? '',
        },
        dedupeKey: `payment:${p.id}`,
      });
    }
    return { ...outcome, balanceMinor };
  });
}

export async function getPayment(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'billing.read');
  const [found] = await app.db
    .select({ payment: payments, username: subscribers.username })
    .from(payments)
    .innerJoin(subscribers, eq(subscribers.id, payments.subscriberId))
    .where(and(eq(payments.tenantId, actor.tenantId), eq(payments.id, id)));
  if (!found) throw notFound('PAYMENT.NOT_FOUND', 'No such payment');
  const row = { ...found.payment, username: found.username };
  const settled = await app.db
    .select({
      invoiceId: allocations.invoiceId,
      amountMinor: allocations.amountMinor,
      releasedAt: allocations.releasedAt,
      displayNumber: invoices.displayNumber,
    })
    .from(allocations)
    .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
    .where(and(eq(allocations.sourceType, 'payment'), eq(allocations.sourceId, id)))
    .orderBy(asc(allocations.createdAt));
  return { ...row, allocations: settled };
}

export async function listPayments(
  app: AppContext,
  actor: Actor,
  filter: { subscriberId?: string | undefined },
) {
  requirePermission(actor, 'billing.read');
  const where = [eq(payments.tenantId, actor.tenantId)];
  if (filter.subscriberId) where.push(eq(payments.subscriberId, filter.subscriberId));
  return app.db
    .select()
    .from(payments)
    .where(and(...where))
    .orderBy(desc(payments.receivedAt))
    .limit(500);
}
