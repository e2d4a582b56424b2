import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, billingEvents, ledgerEntries, payments } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingWorld } from './billing.testing.ts';
import { getInvoice } from './invoice.service.ts';
import { recordPayment } from './payment.service.ts';
import { createCreditNote } from './credit-note.service.ts';
import { balanceOf } from './ledger.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const cash = (subscriberId: string, amountMinor: bigint, extra: Record<string, unknown> = {}) => ({
  subscriberId,
  amountMinor,
  currency: 'KES',
  method: 'cash' as const,
  ...extra,
});

async function ledgerSum(tenantId: string, subscriberId: string): Promise<bigint> {
  const [row] = await t.app.db
    .select({ s: sql<string>`coalesce(sum(${ledgerEntries.amountMinor}), 0)::text` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.subscriberId, subscriberId)));
  return BigInt(row?.s ?? '0');
}

async function counts(tenantId: string) {
  const [p] = await t.app.db
    .select({ n: sql<number>`count(*)::int` })
    .from(payments)
    .where(eq(payments.tenantId, tenantId));
  const [l] = await t.app.db
    .select({ n: sql<number>`count(*)::int` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.tenantId, tenantId));
  const [a] = await t.app.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId));
  return { payments: p?.n, ledger: l?.n, audit: a?.n };
}

describe('payments', () => {
  it('pays the oldest open invoice first; an overpayment stays as credit and pays the next invoice', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const first = await w.invoice(sub, 1000n);
    const second = await w.invoice(sub, 500n);
    const paid = await recordPayment(t.app, w.actor, cash(sub, 1200n));
    expect(paid.created).toBe(true);
    expect(paid.payment.receiptNumber).toBe('RCT-000001');
    expect((await getInvoice(t.app, w.actor, first.id)).status).toBe('paid');
    expect(await getInvoice(t.app, w.actor, second.id)).toMatchObject({
      status: 'partially_paid',
      dueMinor: 300n,
    });
    const over = await recordPayment(t.app, w.actor, cash(sub, 1000n, { receiptNumber: 'PAPER-77' }));
    expect(over.balanceMinor).toBe(-700n);
    expect((await getInvoice(t.app, w.actor, second.id)).status).toBe('paid');
    const third = await w.invoice(sub, 400n);
    expect(await getInvoice(t.app, w.actor, third.id)).toMatchObject({ status: 'paid', dueMinor: 0n });
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(-300n);
    expect(await ledgerSum(w.actor.tenantId, sub)).toBe(-300n);
  });

  it('settles a named invoice first when asked', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const old = await w.invoice(sub, 1000n);
    const newer = await w.invoice(sub, 300n);
    await recordPayment(t.app, w.actor, cash(sub, 300n, { invoiceId: newer.id }));
    expect((await getInvoice(t.app, w.actor, newer.id)).status).toBe('paid');
    expect((await getInvoice(t.app, w.actor, old.id)).status).toBe('open');
  });

  it('a replayed payment (same source id) adds nothing', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    await w.invoice(sub, 1000n);
    const a = await recordPayment(t.app, w.actor, cash(sub, 400n, { sourceId: 'bank-tx-1' }));
    const before = await counts(w.actor.tenantId);
    const b = await recordPayment(t.app, w.actor, cash(sub, 400n, { sourceId: 'bank-tx-1' }));
    const replays = await Promise.all(
      [1, 2, 3].map(() => recordPayment(t.app, w.actor, cash(sub, 400n, { sourceId: 'bank-tx-1' }))),
    );
    expect(b.created).toBe(false);
    expect(replays.every((r) => !r.created && r.payment.id === a.payment.id)).toBe(true);
    expect(await counts(w.actor.tenantId)).toEqual(before);
    expect(b.balanceMinor).toBe(600n);
  });

  it('concurrent payments and a credit note on one invoice leave the right balance', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 10_000n);
    await Promise.all([
      ...Array.from({ length: 8 }, () => recordPayment(t.app, w.actor, cash(sub, 1_000n))),
      createCreditNote(t.app, w.actor, { invoiceId: inv.id, amountMinor: 3_000n, reason: 'Outage week' }),
    ]);
    const after = await getInvoice(t.app, w.actor, inv.id);
    expect(after.allocatedMinor).toBe(10_000n);
    expect(after.status).toBe('paid');
    expect(after.creditedMinor).toBe(3_000n);
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(-1_000n);
    expect(await ledgerSum(w.actor.tenantId, sub)).toBe(-1_000n);
    const receipts = await t.app.db
      .select({ r: payments.receiptNumber })
      .from(payments)
      .where(eq(payments.subscriberId, sub));
    expect(new Set(receipts.map((r) => r.r)).size).toBe(8);
  });

  it('marks the moment an owed balance is cleared, once', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    await w.invoice(sub, 1000n);
    await recordPayment(t.app, w.actor, cash(sub, 400n));
    const clearing = await recordPayment(t.app, w.actor, cash(sub, 600n));
    await recordPayment(t.app, w.actor, cash(sub, 50n));
    const events = await t.app.db.select().from(billingEvents).where(eq(billingEvents.subscriberId, sub));
    expect(events.filter((e) => e.kind === 'balance_cleared').map((e) => e.sourceId)).toEqual([
      clearing.payment.id,
    ]);
    expect(events.filter((e) => e.kind === 'payment_recorded')).toHaveLength(3);
  });

  it('refuses bad payments with typed errors naming the field, writing nothing', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 1000n);
    await recordPayment(t.app, w.actor, cash(sub, 100n, { receiptNumber: 'R-1' }));
    const before = await counts(w.actor.tenantId);
    const cases: [Record<string, unknown>, string, string][] = [
      [cash(sub, 0n), 'PAYMENT.AMOUNT_NOT_POSITIVE', 'amountMinor'],
      [cash(sub, -5n), 'PAYMENT.AMOUNT_NOT_POSITIVE', 'amountMinor'],
      [{ ...cash(sub, 100n), currency: 'USD' }, 'PAYMENT.WRONG_CURRENCY', 'currency'],
      [cash(sub, 100n, { receiptNumber: 'R-1' }), 'PAYMENT.RECEIPT_TAKEN', 'receiptNumber'],
    ];
    for (const [input, code, field] of cases) {
      await expect(recordPayment(t.app, w.actor, input as never)).rejects.toMatchObject({
        code,
        details: { field },
      });
    }
    await createCreditNote(t.app, w.actor, { invoiceId: inv.id, reason: 'Billed in error' });
    const afterVoid = await counts(w.actor.tenantId);
    await expect(recordPayment(t.app, w.actor, cash(sub, 100n, { invoiceId: inv.id }))).rejects.toMatchObject(
      {
        code: 'PAYMENT.INVOICE_VOID',
        details: { field: 'invoiceId' },
      },
    );
    expect(await counts(w.actor.tenantId)).toEqual(afterVoid);
    expect(afterVoid.payments).toBe(before.payments);
    const viewer = { ...w.actor, role: 'viewer' as const };
    await expect(recordPayment(t.app, viewer, cash(sub, 100n))).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    const other = await billingWorld(t);
    await expect(recordPayment(t.app, other.actor, cash(sub, 100n))).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
  });
});
