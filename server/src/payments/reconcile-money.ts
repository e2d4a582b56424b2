// Reconciliation beyond money received (ADR 0029): refunds compared both ways, and the day's
// figures per currency — gross, fees, refunds, net and payouts — as the provider reports them,
// next to Kasi's own totals. Stripe reports all of them (balance transactions of type charge
// with their fee, refund, payout and stripe_fee); PayPal its refunds (T11xx, pointing at the
// capture), fees (on each transaction) and withdrawals to the bank (T04xx); M-Pesa none that
// Kasi can read, so its refunds are Kasi's recorded reversals and fees and payouts stay unknown.
import { and, eq, gte, inArray, lt, or } from 'drizzle-orm';
import type { reconciliationDifferences } from '@kasi/db';
import { paymentAttempts, paymentRefunds, type GatewayKind } from '@kasi/db';
import type { PaymentDeps } from './payment-deps.ts';

type Difference = Omit<typeof reconciliationDifferences.$inferInsert, 'tenantId' | 'runId'>;

/** A refund as the provider lists it; `paymentRef` is what it refunds (payment intent, capture id). */
export interface ProviderRefund {
  ref: string;
  paymentRef: string | null;
  /** Positive: what went back. */
  amountMinor: bigint;
  currency: string;
  at: Date;
}

/** Money the provider kept (fee) or sent to the operator's bank (payout), positive. */
export interface ProviderMovement {
  kind: 'fee' | 'payout';
  amountMinor: bigint;
  currency: string;
  at: Date;
}

export interface KasiRefund {
  id: string;
  paymentId: string | null;
  /** The provider's refund id, or for an M-Pesa reversal the reversal's transaction id. */
  ref: string | null;
  /** The provider's id of what was refunded (the attempt's receipt: payment intent, capture). */
  paymentRef: string | null;
  amountMinor: bigint;
  currency: string;
  at: Date;
}

/** Kasi's succeeded refunds and reversals through `gateway` settled in [from, to). */
export async function kasiRefunds(
  deps: PaymentDeps,
  tenantId: string,
  gateway: GatewayKind,
  from: Date,
  to: Date,
): Promise<KasiRefund[]> {
  const rows = await deps.app.db
    .select({
      id: paymentRefunds.id,
      paymentId: paymentRefunds.paymentId,
      providerRefundId: paymentRefunds.providerRefundId,
      reference: paymentRefunds.reference,
      paymentRef: paymentAttempts.receipt,
      amountMinor: paymentRefunds.amountMinor,
      currency: paymentRefunds.currency,
      at: paymentRefunds.settledAt,
    })
    .from(paymentRefunds)
    .leftJoin(
      paymentAttempts,
      and(
        eq(paymentAttempts.tenantId, paymentRefunds.tenantId),
        or(
          eq(paymentAttempts.paymentId, paymentRefunds.paymentId),
          eq(paymentAttempts.id, paymentRefunds.attemptId),
        ),
      ),
    )
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        eq(paymentRefunds.gateway, gateway),
        eq(paymentRefunds.status, 'succeeded'),
        inArray(paymentRefunds.kind, ['refund', 'reversal']),
        gte(paymentRefunds.settledAt, from),
        lt(paymentRefunds.settledAt, to),
      ),
    );
  return rows.map((r) => ({
    id: r.id,
    paymentId: r.paymentId,
    ref: r.providerRefundId ?? r.reference,
    paymentRef: r.paymentRef,
    amountMinor: r.amountMinor,
    currency: r.currency,
    at: r.at!,
  }));
}

/**
 * Pure: refunds at the provider against Kasi's, both read over the day with its margin. A
 * provider refund matches Kasi's with the same refund id, else (a refund Kasi learnt of by a
 * webhook that gave no refund id) one for the same payment and amount. Only refunds inside
 * [start, end) are reported.
 */
export function compareRefunds(
  provider: ProviderRefund[],
  kasi: KasiRefund[],
  start: Date,
  end: Date,
): Difference[] {
  const inDay = (at: Date) => at >= start && at < end;
  const used = new Set<string>();
  const matchedProvider = new Set<string>();
  for (const p of provider) {
    const k =
      kasi.find((x) => !used.has(x.id) && x.ref === p.ref) ??
      kasi.find(
        (x) =>
          !used.has(x.id) &&
          p.paymentRef !== null &&
          x.paymentRef === p.paymentRef &&
          x.amountMinor === p.amountMinor &&
          x.currency.toUpperCase() === p.currency.toUpperCase(),
      );
    if (!k) continue;
    used.add(k.id);
    matchedProvider.add(p.ref);
  }
  const out: Difference[] = [];
  for (const p of provider) {
    if (matchedProvider.has(p.ref) || !inDay(p.at)) continue;
    out.push({
      kind: 'refund_missing_in_kasi',
      providerRef: p.ref,
      providerAmountMinor: p.amountMinor,
      providerCurrency: p.currency,
      occurredAt: p.at,
    });
  }
  for (const k of kasi) {
    if (used.has(k.id) || !inDay(k.at)) continue;
    out.push({
      kind: 'refund_missing_at_provider',
      providerRef: k.ref,
      paymentId: k.paymentId,
      kasiAmountMinor: k.amountMinor,
      kasiCurrency: k.currency,
      occurredAt: k.at,
    });
  }
  return out;
}

export interface DayFigures {
  currency: string;
  grossMinor: bigint;
  feesMinor: bigint | null;
  refundsMinor: bigint;
  netMinor: bigint | null;
  payoutsMinor: bigint | null;
  refundsFromKasi: boolean;
  kasiGrossMinor: bigint;
  kasiRefundsMinor: bigint;
}

/**
 * Pure: the day's figures per currency. `refunds` null: the provider lists none, so Kasi's
 * refunds stand in; `movements` null: it reports no fees or payouts (net is then unknown too).
 */
export function dayFigures(o: {
  received: { amountMinor: bigint; currency: string; at: Date }[];
  refunds: ProviderRefund[] | null;
  movements: ProviderMovement[] | null;
  kasiReceived: { amountMinor: bigint; currency: string; at: Date }[];
  kasiRefunds: KasiRefund[];
  start: Date;
  end: Date;
}): DayFigures[] {
  const inDay = (x: { at: Date }) => x.at >= o.start && x.at < o.end;
  const cur = (c: string) => c.toUpperCase();
  const sum = (xs: { amountMinor: bigint; currency: string; at: Date }[], c: string) =>
    xs.filter((x) => inDay(x) && cur(x.currency) === c).reduce((s, x) => s + x.amountMinor, 0n);
  const seen = new Set<string>();
  for (const x of [
    ...o.received,
    ...(o.refunds ?? []),
    ...(o.movements ?? []),
    ...o.kasiReceived,
    ...o.kasiRefunds,
  ])
    if (inDay(x)) seen.add(cur(x.currency));
  return [...seen].sort().map((c) => {
    const grossMinor = sum(o.received, c);
    const refundsMinor = sum(o.refunds ?? o.kasiRefunds, c);
    const feesMinor = o.movements
      ? sum(
          o.movements.filter((m) => m.kind === 'fee'),
          c,
        )
      : null;
    return {
      currency: c,
      grossMinor,
      feesMinor,
      refundsMinor,
      netMinor: feesMinor === null ? null : grossMinor - feesMinor - refundsMinor,
      payoutsMinor: o.movements
        ? sum(
            o.movements.filter((m) => m.kind === 'payout'),
            c,
          )
        : null,
      refundsFromKasi: o.refunds === null,
      kasiGrossMinor: sum(o.kasiReceived, c),
      kasiRefundsMinor: sum(o.kasiRefunds, c),
    };
  });
}
