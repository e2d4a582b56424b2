// Reconciliation beyond money received (ADR 0029, 0037): refunds and disputes (chargebacks)
// compared both ways, disputes won listed, and the day's figures per currency — gross, fees,
// refunds, disputes, net and payouts — as the provider reports them, next to Kasi's own
// totals. Stripe reports all of them (balance transactions of type charge with their fee,
// refund, payout, stripe_fee, and adjustments of reporting category dispute and
// dispute_reversal); PayPal its refunds (T11xx, pointing at the capture), chargebacks (T1201)
// and chargebacks reversed (T1202), fees (on each transaction, and fees of their own T01xx)
// and withdrawals to the bank (T04xx); M-Pesa none that Kasi can read, so its refunds are
// Kasi's recorded reversals and fees and payouts stay unknown.
import { and, eq, gte, inArray, lt, or } from 'drizzle-orm';
import type { reconciliationDifferences } from '@kasi/db';
import { paymentAttempts, paymentRefunds, type GatewayKind } from '@kasi/db';
import type { PaymentDeps } from './payment-deps.ts';

type Difference = Omit<typeof reconciliationDifferences.$inferInsert, 'tenantId' | 'runId'>;

/**
 * A refund, a dispute (chargeback) or a dispute won as the provider lists it; `paymentRef` is
 * the payment it concerns (payment intent, capture id).
 */
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

/** Money that went back in Kasi: a refund (or M-Pesa reversal), or a dispute. */
export type MoneyBackKind = 'refund' | 'dispute';

export interface KasiRefund {
  id: string;
  kind: MoneyBackKind;
  paymentId: string | null;
  /** The provider's refund id, or for an M-Pesa reversal the reversal's transaction id. */
  ref: string | null;
  /** The provider's id of what was refunded (the attempt's receipt: payment intent, capture). */
  paymentRef: string | null;
  amountMinor: bigint;
  currency: string;
  at: Date;
}

/** Kasi's succeeded refunds, reversals and disputes through `gateway` settled in [from, to). */
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
      kind: paymentRefunds.kind,
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
        inArray(paymentRefunds.kind, ['refund', 'reversal', 'dispute']),
        gte(paymentRefunds.settledAt, from),
        lt(paymentRefunds.settledAt, to),
      ),
    );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind === 'dispute' ? ('dispute' as const) : ('refund' as const),
    paymentId: r.paymentId,
    ref: r.providerRefundId ?? r.reference,
    paymentRef: r.paymentRef,
    amountMinor: r.amountMinor,
    currency: r.currency,
    at: r.at!,
  }));
}

/**
 * Pure: refunds and disputes at the provider against Kasi's, all read over the day with its
 * margin. A provider item matches a Kasi one of the same kind with the same id, else (a refund
 * or dispute Kasi learnt of by a webhook that gave another id) one for the same payment,
 * amount and currency; failing both, a Kasi item of the other kind the same way — PayPal's
 * capture-reversed webhook, recorded as a refund, is how a PayPal chargeback reaches Kasi.
 * Every dispute won (`reinstated`) is listed: Kasi does not restore a disputed payment by
 * itself. Only items inside [start, end) are reported; `paymentIds` names Kasi's payment for
 * a provider's payment reference where Kasi has one.
 */
export function compareMoneyBack(o: {
  refunds: ProviderRefund[];
  disputes: ProviderRefund[];
  reinstated: ProviderRefund[];
  kasi: KasiRefund[];
  paymentIds: ReadonlyMap<string, string>;
  start: Date;
  end: Date;
}): Difference[] {
  const inDay = (at: Date) => at >= o.start && at < o.end;
  const provider = [
    ...o.refunds.map((p) => ({ ...p, kind: 'refund' as MoneyBackKind })),
    ...o.disputes.map((p) => ({ ...p, kind: 'dispute' as MoneyBackKind })),
  ];
  const used = new Set<string>();
  const matched = new Set<(typeof provider)[number]>();
  const samePayment = (p: (typeof provider)[number], x: KasiRefund) =>
    p.paymentRef !== null &&
    x.paymentRef === p.paymentRef &&
    x.amountMinor === p.amountMinor &&
    x.currency.toUpperCase() === p.currency.toUpperCase();
  const passes: ((p: (typeof provider)[number], x: KasiRefund) => boolean)[] = [
    (p, x) => x.kind === p.kind && x.ref === p.ref,
    (p, x) => x.kind === p.kind && samePayment(p, x),
    (p, x) => x.ref === p.ref,
    samePayment,
  ];
  for (const pass of passes) {
    for (const p of provider) {
      if (matched.has(p)) continue;
      const k = o.kasi.find((x) => !used.has(x.id) && pass(p, x));
      if (!k) continue;
      used.add(k.id);
      matched.add(p);
    }
  }
  const paymentOf = (p: ProviderRefund) => (p.paymentRef ? (o.paymentIds.get(p.paymentRef) ?? null) : null);
  const out: Difference[] = [];
  for (const p of provider) {
    if (matched.has(p) || !inDay(p.at)) continue;
    out.push({
      kind: p.kind === 'dispute' ? 'dispute_missing_in_kasi' : 'refund_missing_in_kasi',
      providerRef: p.ref,
      paymentId: paymentOf(p),
      providerAmountMinor: p.amountMinor,
      providerCurrency: p.currency,
      occurredAt: p.at,
    });
  }
  for (const k of o.kasi) {
    if (used.has(k.id) || !inDay(k.at)) continue;
    out.push({
      kind: k.kind === 'dispute' ? 'dispute_missing_at_provider' : 'refund_missing_at_provider',
      providerRef: k.ref,
      paymentId: k.paymentId,
      kasiAmountMinor: k.amountMinor,
      kasiCurrency: k.currency,
      occurredAt: k.at,
    });
  }
  for (const p of o.reinstated) {
    if (!inDay(p.at)) continue;
    out.push({
      kind: 'dispute_reinstated',
      providerRef: p.ref,
      paymentId: paymentOf(p),
      providerAmountMinor: p.amountMinor,
      providerCurrency: p.currency,
      occurredAt: p.at,
    });
  }
  return out;
}

export interface DayFigures {
  currency: string;
  grossMinor: bigint;
  feesMinor: bigint | null;
  refundsMinor: bigint;
  /** Chargebacks withdrawn less disputes won (reinstated) on the day. */
  disputesMinor: bigint;
  netMinor: bigint | null;
  payoutsMinor: bigint | null;
  refundsFromKasi: boolean;
  kasiGrossMinor: bigint;
  kasiRefundsMinor: bigint;
  kasiDisputesMinor: bigint;
}

/**
 * Pure: the day's figures per currency. `refunds` null: the provider lists none, so Kasi's
 * refunds and disputes stand in; `movements` null: it reports no fees or payouts (net is then
 * unknown too). Net is gross less fees, refunds and disputes (chargebacks less those won).
 */
export function dayFigures(o: {
  received: { amountMinor: bigint; currency: string; at: Date }[];
  refunds: ProviderRefund[] | null;
  disputes: ProviderRefund[] | null;
  reinstated: ProviderRefund[] | null;
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
    ...(o.disputes ?? []),
    ...(o.reinstated ?? []),
    ...(o.movements ?? []),
    ...o.kasiReceived,
    ...o.kasiRefunds,
  ])
    if (inDay(x)) seen.add(cur(x.currency));
  return [...seen].sort().map((c) => {
    const grossMinor = sum(o.received, c);
    const kasiRefunds = o.kasiRefunds.filter((k) => k.kind === 'refund');
    const kasiDisputes = o.kasiRefunds.filter((k) => k.kind === 'dispute');
    const refundsMinor = sum(o.refunds ?? kasiRefunds, c);
    const disputesMinor =
      o.disputes === null ? sum(kasiDisputes, c) : sum(o.disputes, c) - sum(o.reinstated ?? [], c);
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
      disputesMinor,
      netMinor: feesMinor === null ? null : grossMinor - feesMinor - refundsMinor - disputesMinor,
      payoutsMinor: o.movements
        ? sum(
            o.movements.filter((m) => m.kind === 'payout'),
            c,
          )
        : null,
      refundsFromKasi: o.refunds === null,
      kasiGrossMinor: sum(o.kasiReceived, c),
      kasiRefundsMinor: sum(kasiRefunds, c),
      kasiDisputesMinor: sum(kasiDisputes, c),
    };
  });
}
