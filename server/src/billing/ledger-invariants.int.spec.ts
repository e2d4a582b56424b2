// Property test on real PostgreSQL: whatever sequence of invoices, payments, credit notes,
// write-offs and replays happens to a subscriber, the balance is the sum of the ledger entries and equals
// what is still due on open invoices less the unused credit.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { invoices, ledgerEntries } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingWorld, type BillingWorld } from './billing.testing.ts';
import { createCreditNote } from './credit-note.service.ts';
import { balanceOf } from './ledger.ts';
import { recordPayment } from './payment.service.ts';
import { unusedCredit } from './settle.ts';
import { writeOffInvoice } from './write-off.service.ts';

let t: TestApp;
let w: BillingWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await billingWorld(t);
});
afterAll(() => t.close());

type Op =
  | { kind: 'invoice'; amount: bigint }
  | { kind: 'pay'; amount: bigint; source: number | null }
  | { kind: 'credit'; pick: number; part: number | null }
  | { kind: 'writeOff'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('invoice' as const), amount: fc.bigInt({ min: 1n, max: 50_000n }) }),
  fc.record({
    kind: fc.constant('pay' as const),
    amount: fc.bigInt({ min: 1n, max: 60_000n }),
    source: fc.option(fc.integer({ min: 0, max: 3 })),
  }),
  fc.record({
    kind: fc.constant('credit' as const),
    pick: fc.nat(),
    part: fc.option(fc.integer({ min: 1, max: 99 })),
  }),
);

async function apply(sub: string, o: Op, issued: string[]): Promise<void> {
  if (o.kind === 'invoice') issued.push((await w.invoice(sub, o.amount)).id);
  else if (o.kind === 'pay') {
    const sourceId = o.source === null ? null : `${sub}-src-${o.source}`;
    await recordPayment(t.app, w.actor, {
      subscriberId: sub,
      amountMinor: o.amount,
      currency: 'KES',
      method: 'cash',
      sourceId,
    });
  } else if (o.kind === 'writeOff' && issued.length > 0) {
    const id = issued[o.pick % issued.length] ?? '';
    const [inv] = await t.app.db.select().from(invoices).where(eq(invoices.id, id));
    if (inv?.status !== 'open' && inv?.status !== 'partially_paid') return;
    await writeOffInvoice(t.app, w.actor, { invoiceId: id, reason: 'property test' });
  } else if (o.kind === 'credit' && issued.length > 0) {
    const id = issued[o.pick % issued.length] ?? '';
    const [inv] = await t.app.db.select().from(invoices).where(eq(invoices.id, id));
    const left = (inv?.totalMinor ?? 0n) - (inv?.creditedMinor ?? 0n);
    if (inv?.status === 'void' || left <= 0n) return;
    const amount = o.part === null ? null : (left * BigInt(o.part)) / 100n || 1n;
    await createCreditNote(t.app, w.actor, { invoiceId: id, amountMinor: amount, reason: 'property test' });
  }
}

describe('ledger invariants (property, real PostgreSQL)', () => {
  it('balance = sum of entries = open dues − unused credit, after any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const sub = await w.newSubscriber();
        const issued: string[] = [];
        for (const o of ops) await apply(sub, o, issued);
        const [sum] = await t.app.db
          .select({ s: sql<string>`coalesce(sum(${ledgerEntries.amountMinor}), 0)::text` })
          .from(ledgerEntries)
          .where(eq(ledgerEntries.subscriberId, sub));
        const open = await t.app.db
          .select({
            due: sql<string>`coalesce(sum(${invoices.totalMinor} - ${invoices.allocatedMinor}), 0)::text`,
          })
          .from(invoices)
          .where(
            and(
              eq(invoices.subscriberId, sub),
              eq(invoices.kind, 'invoice'),
              inArray(invoices.status, ['open', 'partially_paid']),
            ),
          );
        const credit = (await unusedCredit(t.app.db, w.actor.tenantId, sub)).reduce(
          (s, c) => s + c.remainingMinor,
          0n,
        );
        const balance = await balanceOf(t.app.db, w.actor.tenantId, sub);
        expect(balance).toBe(BigInt(sum?.s ?? '0'));
        expect(balance).toBe(BigInt(open[0]?.due ?? '0') - credit);
        // Credit and dues never coexist: unused credit always pays what is open.
        expect(credit === 0n || BigInt(open[0]?.due ?? '0') === 0n).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
