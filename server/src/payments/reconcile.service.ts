// Daily reconciliation (issue 13 item 6, ADR 0029): for one tenant-local day and one provider,
// the provider's own list of money received is compared with Kasi's payments of that method.
// Stripe: balance transactions (charges) by their payment intent; PayPal: transaction search
// by capture id; M-Pesa: Pull Transactions (C2B, last 48 h) by receipt where the operator says
// Safaricom enabled it, else Kasi's own confirmed M-Pesa receipts (the inbox). Each difference
// is one row: money at the provider Kasi has not recorded (perhaps waiting in suspense), a Kasi
// payment the provider does not list, or the same payment with another amount or currency;
// and refunds and disputes both ways, disputes won listed (reconcile-money.ts, ADR 0037), with
// the day's gross, fees, refunds, disputes, net and payouts per currency kept on the run.
// A day runs once per provider (one row per tenant, provider and day); running it again
// replaces that day's differences in one transaction, so re-running is idempotent.
import { and, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  paymentAttempts,
  paymentEvents,
  paymentGateways,
  payments,
  reconciliationDifferences,
  reconciliationFigures,
  reconciliationRuns,
  writeAudit,
  type DifferenceKind,
  type GatewayKind,
  type ReconcileSource,
  type ReconcileTrigger,
} from '@kasi/db';
import { invalid, isDomainError, type PaymentMethod } from '@kasi/domain';
import type { MpesaGateway, PaypalGateway, StripeGateway } from '@kasi/payments';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { addDays, dayStart, localDay, parseDay } from '../billing/billing-calendar.ts';
import { loadBillingSettings } from '../billing/billing-settings.service.ts';
import { openGateway } from './gateway-factory.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { recentStatusQueries } from './transaction-status.service.ts';
import {
  compareMoneyBack,
  dayFigures,
  kasiRefunds,
  type ProviderMovement,
  type ProviderRefund,
} from './reconcile-money.ts';

/** The provider's method in Kasi's payments. */
export const GATEWAY_METHOD: Record<GatewayKind, PaymentMethod> = {
  mpesa: 'mpesa',
  stripe: 'card',
  paypal: 'paypal',
};

/** Around the day, payments still match across midnight (paid 23:59:58, recorded 00:00:01). */
const MARGIN_MS = 60 * 60_000;
/** PayPal's hold on disputed money (T1110) and its release (T1111): not money gone back. */
const DISPUTE_HOLDS = new Set(['T1110', 'T1111']);
/** Pull Transactions reaches back 48 hours. */
const PULL_REACH_MS = 48 * 3_600_000;

export interface ProviderTransaction {
  ref: string;
  amountMinor: bigint;
  currency: string;
  at: Date;
}

interface KasiPayment {
  /** The payment; null for a "buy plan" purchase (an attempt that issued a code, no payment). */
  id: string | null;
  ref: string | null;
  amountMinor: bigint;
  currency: string;
  at: Date;
}

type RunRow = typeof reconciliationRuns.$inferSelect;

interface ProviderSide {
  source: ReconcileSource;
  /** Money received. */
  txs: ProviderTransaction[];
  /** Refunds the provider lists; null where it lists none (M-Pesa). */
  refunds: ProviderRefund[] | null;
  /** Disputes (chargebacks) it took, and disputes won (money reinstated); null where none are listed. */
  disputes: ProviderRefund[] | null;
  reinstated: ProviderRefund[] | null;
  /** Fees and payouts; null where the provider reports none (M-Pesa). */
  movements: ProviderMovement[] | null;
}
type Difference = Omit<typeof reconciliationDifferences.$inferInsert, 'tenantId' | 'runId'>;

async function providerSide(
  deps: PaymentDeps,
  tenantId: string,
  gateway: GatewayKind,
  from: Date,
  to: Date,
  now: Date,
): Promise<ProviderSide> {
  const tg = await openGateway(deps, deps.app.db, tenantId, gateway);
  if (gateway === 'stripe') {
    const list = await (tg.gateway as StripeGateway).balanceTransactions(from, to);
    const movements: ProviderMovement[] = [];
    for (const b of list) {
      // Stripe's fee on each transaction, and fees billed on their own (stripe_fee, negative).
      if (b.feeMinor !== 0n)
        movements.push({ kind: 'fee', amountMinor: b.feeMinor, currency: b.currency, at: b.at });
      if (b.kind === 'fee')
        movements.push({ kind: 'fee', amountMinor: -b.amountMinor, currency: b.currency, at: b.at });
      if (b.kind === 'payout')
        movements.push({ kind: 'payout', amountMinor: -b.amountMinor, currency: b.currency, at: b.at });
    }
    // A dispute's withdrawal (negative) and its reversal when won (positive) share the dispute's id.
    const disputed = (kind: 'dispute' | 'dispute_reversal') =>
      list
        .filter((b) => b.kind === kind)
        .map((b) => ({
          ref: b.disputeId ?? b.id,
          paymentRef: b.paymentIntent,
          amountMinor: kind === 'dispute' ? -b.amountMinor : b.amountMinor,
          currency: b.currency,
          at: b.at,
        }));
    return {
      source: 'provider',
      txs: list
        .filter((b) => b.kind === 'charge')
        .map((b) => ({
          ref: b.paymentIntent ?? b.chargeId ?? b.id,
          amountMinor: b.amountMinor,
          currency: b.currency,
          at: b.at,
        })),
      refunds: list
        .filter((b) => b.kind === 'refund')
        .map((b) => ({
          ref: b.refundId ?? b.id,
          paymentRef: b.paymentIntent,
          amountMinor: -b.amountMinor,
          currency: b.currency,
          at: b.at,
        })),
      disputes: disputed('dispute'),
      reinstated: disputed('dispute_reversal'),
      movements,
    };
  }
  if (gateway === 'paypal') {
    const list = (await (tg.gateway as PaypalGateway).transactions(from, to)).filter(
      (t) => t.status !== 'D' && t.status !== 'V',
    );
    const at = (t: { at: string }) => new Date(t.at);
    const movements: ProviderMovement[] = list.flatMap((t) => [
      ...(t.feeMinor > 0n
        ? [{ kind: 'fee' as const, amountMinor: t.feeMinor, currency: t.currency, at: at(t) }]
        : []),
      // Withdrawals to the operator's bank: event codes T04xx, negative.
      ...(/^T04/.test(t.eventCode) && t.amountMinor < 0n
        ? [{ kind: 'payout' as const, amountMinor: -t.amountMinor, currency: t.currency, at: at(t) }]
        : []),
      // Fees of their own (T01xx, negative): a chargeback's fee is T0106.
      ...(/^T01/.test(t.eventCode) && t.amountMinor < 0n
        ? [{ kind: 'fee' as const, amountMinor: -t.amountMinor, currency: t.currency, at: at(t) }]
        : []),
    ]);
    // A chargeback (T1201, negative) or one reversed, the seller having won (T1202, positive),
    // pointing at the capture.
    const chargebacks = (code: string, sign: bigint) =>
      list
        .filter((t) => t.eventCode === code && t.amountMinor * sign > 0n)
        .map((t) => ({
          ref: t.id,
          paymentRef: t.referenceId,
          amountMinor: t.amountMinor * sign,
          currency: t.currency,
          at: at(t),
        }));
    return {
      source: 'provider',
      // Money in: payment event codes T00xx with a positive amount, completed (S) or pending (P).
      txs: list
        .filter((t) => /^T00/.test(t.eventCode) && t.amountMinor > 0n)
        .map((t) => ({ ref: t.id, amountMinor: t.amountMinor, currency: t.currency, at: at(t) })),
      // Refunds: event codes T11xx, negative, pointing at the capture they refund — but not a
      // hold while a dispute is looked into (T1110, released by T1111): no money has gone back.
      refunds: list
        .filter((t) => /^T11/.test(t.eventCode) && !DISPUTE_HOLDS.has(t.eventCode) && t.amountMinor < 0n)
        .map((t) => ({
          ref: t.id,
          paymentRef: t.referenceId,
          amountMinor: -t.amountMinor,
          currency: t.currency,
          at: at(t),
        })),
      disputes: chargebacks('T1201', -1n),
      reinstated: chargebacks('T1202', 1n),
      movements,
    };
  }
  const mm = tg.gateway as MpesaGateway;
  // M-Pesa lists no reversals, fees or settlements Kasi can read: refunds are Kasi's own records.
  const none = { refunds: null, disputes: null, reinstated: null, movements: null };
  if (mm.pullEnabled && now.getTime() - from.getTime() <= PULL_REACH_MS) {
    const list = await mm.pullTransactions(from, to < now ? to : now);
    return {
      source: 'provider',
      txs: list.map((t) => ({ ref: t.transactionId, amountMinor: t.amountMinor, currency: 'KES', at: t.at })),
      ...none,
    };
  }
  // Without Pull (or older than 48 h): the receipts M-Pesa itself sent Kasi — paid STK callbacks
  // and C2B confirmations in the inbox — against the payments Kasi recorded.
  const rows = await deps.app.db
    .select({
      rawBody: paymentEvents.rawBody,
      receivedAt: paymentEvents.receivedAt,
      outcome: paymentEvents.outcome,
    })
    .from(paymentEvents)
    .where(
      and(
        eq(paymentEvents.tenantId, tenantId),
        eq(paymentEvents.gateway, 'mpesa'),
        inArray(paymentEvents.type, ['succeeded', 'direct_payment']),
        gte(paymentEvents.receivedAt, from),
        lt(paymentEvents.receivedAt, to),
      ),
    );
  const txs: ProviderTransaction[] = [];
  for (const r of rows) {
    // An STK "paid" the STK query then denied is not money received.
    if (r.outcome === 'unconfirmed' || r.outcome === 'failed_attempt') continue;
    const e = mm.normalise(Buffer.from(r.rawBody, 'utf8'))[0];
    if (!e?.receipt || e.amountMinor === null) continue;
    txs.push({ ref: e.receipt, amountMinor: e.amountMinor, currency: e.currency ?? 'KES', at: r.receivedAt });
  }
  return { source: 'kasi_receipts', txs, ...none };
}

/** "Buy plan" purchases paid through `gateway`: money Kasi received with no payment row. */
function planPurchases(deps: PaymentDeps, tenantId: string, gateway: GatewayKind, where: SQL) {
  return deps.app.db
    .select({
      id: sql<null>`null::uuid`,
      ref: paymentAttempts.receipt,
      amountMinor: paymentAttempts.chargedMinor,
      currency: paymentAttempts.currency,
      at: paymentAttempts.settledAt,
    })
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.tenantId, tenantId),
        eq(paymentAttempts.gateway, gateway),
        isNotNull(paymentAttempts.planId),
        eq(paymentAttempts.status, 'succeeded'),
        where,
      ),
    );
}

const paymentColumns = {
  id: payments.id,
  ref: payments.reference,
  amountMinor: payments.amountMinor,
  currency: payments.currency,
  at: payments.receivedAt,
};

async function kasiSide(deps: PaymentDeps, tenantId: string, gateway: GatewayKind, from: Date, to: Date) {
  const rows = await deps.app.db
    .select(paymentColumns)
    .from(payments)
    .where(
      and(
        eq(payments.tenantId, tenantId),
        eq(payments.method, GATEWAY_METHOD[gateway]),
        gte(payments.receivedAt, from),
        lt(payments.receivedAt, to),
      ),
    );
  const bought = await planPurchases(
    deps,
    tenantId,
    gateway,
    and(gte(paymentAttempts.settledAt, from), lt(paymentAttempts.settledAt, to))!,
  );
  return [...rows, ...bought] as KasiPayment[];
}

async function kasiByRefs(deps: PaymentDeps, tenantId: string, gateway: GatewayKind, refs: string[]) {
  if (refs.length === 0) return [];
  const rows = await deps.app.db
    .select(paymentColumns)
    .from(payments)
    .where(
      and(
        eq(payments.tenantId, tenantId),
        eq(payments.method, GATEWAY_METHOD[gateway]),
        inArray(payments.reference, refs),
      ),
    );
  const bought = await planPurchases(deps, tenantId, gateway, inArray(paymentAttempts.receipt, refs));
  return [...rows, ...bought] as KasiPayment[];
}

async function suspended(deps: PaymentDeps, tenantId: string, refs: string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await deps.app.db
    .select({ ref: paymentEvents.providerRef })
    .from(paymentEvents)
    .where(
      and(
        eq(paymentEvents.tenantId, tenantId),
        eq(paymentEvents.outcome, 'suspense'),
        inArray(paymentEvents.providerRef, refs),
      ),
    );
  return new Set(rows.map((r) => r.ref ?? ''));
}

/** Pure: the differences between the two sides for [start, end). */
export function compare(
  provider: ProviderTransaction[],
  kasiInWindow: KasiPayment[],
  kasiMatchedByRef: KasiPayment[],
  start: Date,
  end: Date,
): { differences: Difference[]; providerCount: number; kasiCount: number; matched: number } {
  const inDay = (at: Date) => at >= start && at < end;
  const providerRefs = new Set(provider.map((p) => p.ref));
  const kasiByRef = new Map<string, KasiPayment>();
  for (const k of [...kasiInWindow, ...kasiMatchedByRef]) if (k.ref) kasiByRef.set(k.ref, k);
  const differences: Difference[] = [];
  let matched = 0;
  const providerDay = provider.filter((p) => inDay(p.at));
  for (const p of providerDay) {
    const k = kasiByRef.get(p.ref);
    const base = {
      providerRef: p.ref,
      providerAmountMinor: p.amountMinor,
      providerCurrency: p.currency,
      occurredAt: p.at,
    };
    if (!k) {
      differences.push({ ...base, kind: 'missing_in_kasi' });
      continue;
    }
    const both = { ...base, paymentId: k.id, kasiAmountMinor: k.amountMinor, kasiCurrency: k.currency };
    let kind: DifferenceKind | null = null;
    if (k.currency.toUpperCase() !== p.currency.toUpperCase()) kind = 'currency_mismatch';
    else if (k.amountMinor !== p.amountMinor) kind = 'amount_mismatch';
    if (kind) differences.push({ ...both, kind });
    else matched++;
  }
  const kasiDay = kasiInWindow.filter((k) => inDay(k.at));
  for (const k of kasiDay) {
    if (k.ref && providerRefs.has(k.ref)) continue;
    differences.push({
      kind: 'missing_at_provider',
      providerRef: k.ref,
      paymentId: k.id,
      kasiAmountMinor: k.amountMinor,
      kasiCurrency: k.currency,
      occurredAt: k.at,
    });
  }
  return { differences, providerCount: providerDay.length, kasiCount: kasiDay.length, matched };
}

async function tenantZone(deps: PaymentDeps, tenantId: string) {
  return (await loadBillingSettings(deps.app.db, tenantId)).effectiveTimezone;
}

/** Reconciles one provider for one tenant-local day; a second run of the same day replaces the first. */
export async function reconcileProviderDay(
  deps: PaymentDeps,
  tenantId: string,
  gateway: GatewayKind,
  day: string,
  opts: { trigger: ReconcileTrigger; runBy?: string | null; now?: Date },
): Promise<RunRow> {
  const { db } = deps.app;
  const now = opts.now ?? new Date();
  const tz = await tenantZone(deps, tenantId);
  const start = dayStart(day, tz);
  const end = dayStart(addDays(day, 1), tz);
  const [run] = await db
    .insert(reconciliationRuns)
    .values({
      tenantId,
      gateway,
      day,
      periodStart: start,
      periodEnd: end,
      source: 'provider',
      status: 'running',
      trigger: opts.trigger,
      runBy: opts.runBy ?? null,
      startedAt: now,
    })
    .onConflictDoUpdate({
      target: [reconciliationRuns.tenantId, reconciliationRuns.gateway, reconciliationRuns.day],
      set: {
        status: 'running',
        trigger: opts.trigger,
        runBy: opts.runBy ?? null,
        startedAt: now,
        error: null,
      },
    })
    .returning();
  const from = new Date(start.getTime() - MARGIN_MS);
  const to = new Date(end.getTime() + MARGIN_MS);
  let side: Awaited<ReturnType<typeof providerSide>>;
  try {
    side = await providerSide(deps, tenantId, gateway, from, to, now);
  } catch (e) {
    const [failed] = await db
      .update(reconciliationRuns)
      .set({
        status: 'failed',
        error: isDomainError(e) ? e.message : 'The provider could not be asked (see the server log)',
        finishedAt: new Date(),
      })
      .where(eq(reconciliationRuns.id, run!.id))
      .returning();
    if (!isDomainError(e)) deps.app.log.error({ err: e, gateway }, 'reconciliation failed');
    return failed!;
  }
  const inWindow = await kasiSide(deps, tenantId, gateway, from, to);
  const known = new Set(inWindow.map((k) => k.ref));
  const byRef = await kasiByRefs(
    deps,
    tenantId,
    gateway,
    side.txs.map((t) => t.ref).filter((r) => !known.has(r)),
  );
  const result = compare(side.txs, inWindow, byRef, start, end);
  const refunded = await kasiRefunds(deps, tenantId, gateway, from, to);
  if (side.refunds) {
    const back = [...side.refunds, ...(side.disputes ?? []), ...(side.reinstated ?? [])];
    const paymentRefs = [...new Set(back.flatMap((b) => (b.paymentRef ? [b.paymentRef] : [])))];
    const paymentIds = new Map<string, string>();
    for (const k of [...inWindow, ...(await kasiByRefs(deps, tenantId, gateway, paymentRefs))]) {
      if (k.ref && k.id) paymentIds.set(k.ref, k.id);
    }
    result.differences.push(
      ...compareMoneyBack({
        refunds: side.refunds,
        disputes: side.disputes ?? [],
        reinstated: side.reinstated ?? [],
        kasi: refunded,
        paymentIds,
        start,
        end,
      }),
    );
  }
  const figures = dayFigures({
    received: side.txs,
    refunds: side.refunds,
    disputes: side.disputes,
    reinstated: side.reinstated,
    movements: side.movements,
    kasiReceived: inWindow,
    kasiRefunds: refunded,
    start,
    end,
  });
  const waiting = await suspended(
    deps,
    tenantId,
    result.differences.filter((d) => d.kind === 'missing_in_kasi').map((d) => d.providerRef ?? ''),
  );
  return db.transaction(async (tx) => {
    await tx
      .delete(reconciliationDifferences)
      .where(
        and(eq(reconciliationDifferences.tenantId, tenantId), eq(reconciliationDifferences.runId, run!.id)),
      );
    await tx
      .delete(reconciliationFigures)
      .where(and(eq(reconciliationFigures.tenantId, tenantId), eq(reconciliationFigures.runId, run!.id)));
    if (figures.length > 0) {
      await tx.insert(reconciliationFigures).values(figures.map((f) => ({ ...f, tenantId, runId: run!.id })));
    }
    if (result.differences.length > 0) {
      await tx.insert(reconciliationDifferences).values(
        result.differences.map((d) => ({
          ...d,
          tenantId,
          runId: run!.id,
          inSuspense: d.kind === 'missing_in_kasi' && waiting.has(d.providerRef ?? ''),
        })),
      );
    }
    const [done] = await tx
      .update(reconciliationRuns)
      .set({
        source: side.source,
        status: result.differences.length > 0 ? 'differences' : 'matched',
        providerCount: result.providerCount,
        kasiCount: result.kasiCount,
        matchedCount: result.matched,
        differenceCount: result.differences.length,
        error: null,
        finishedAt: new Date(),
      })
      .where(eq(reconciliationRuns.id, run!.id))
      .returning();
    return done!;
  });
}

async function enabledGateways(deps: PaymentDeps, tenantId: string): Promise<GatewayKind[]> {
  const rows = await deps.app.db
    .select({ gateway: paymentGateways.gateway })
    .from(paymentGateways)
    .where(and(eq(paymentGateways.tenantId, tenantId), eq(paymentGateways.enabled, true)));
  return rows.map((r) => r.gateway).sort();
}

/** Local hour from which the previous day is reconciled (providers list late captures for a while). */
export const RECONCILE_LOCAL_HOUR = 3;

const hourIn = (at: Date, timeZone: string) =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(at));

/**
 * The scheduled pass (hourly, every tenant): once the tenant's clock has passed 03:00, the
 * previous local day is reconciled for each enabled provider that has no successful run of it
 * yet (a failed run is tried again the next hour).
 */
export async function reconcileTenantIfDue(deps: PaymentDeps, tenantId: string, now = new Date()) {
  const tz = await tenantZone(deps, tenantId);
  if (hourIn(now, tz) < RECONCILE_LOCAL_HOUR) return 0;
  const day = addDays(localDay(now, tz), -1);
  const gateways = await enabledGateways(deps, tenantId);
  if (gateways.length === 0) return 0;
  const done = await deps.app.db
    .select({ gateway: reconciliationRuns.gateway, status: reconciliationRuns.status })
    .from(reconciliationRuns)
    .where(and(eq(reconciliationRuns.tenantId, tenantId), eq(reconciliationRuns.day, day)));
  let ran = 0;
  for (const g of gateways) {
    const prior = done.find((d) => d.gateway === g);
    if (prior && prior.status !== 'failed') continue;
    await reconcileProviderDay(deps, tenantId, g, day, { trigger: 'schedule', now });
    ran++;
  }
  return ran;
}

/** No day: yesterday on the tenant's calendar (the day the schedule reconciles). */
export const reconcileDayInput = z.object({ day: z.string().nullable().default(null) });
export const reconcileRunInput = z.object({
  day: z.string(),
  gateway: z.enum(['mpesa', 'stripe', 'paypal']).nullable().default(null),
});

async function checkedDay(deps: PaymentDeps, tenantId: string, v: string) {
  const day = parseDay(v, 'day');
  const tz = await tenantZone(deps, tenantId);
  if (day > localDay(new Date(), tz)) {
    throw invalid('PAYMENT.RECONCILE_FUTURE_DAY', 'That day has not happened yet', { field: 'day' });
  }
  return { day, tz };
}

/** "Run now" (billing.write, audited): the chosen day for one or every enabled provider. */
export async function runReconciliation(
  deps: PaymentDeps,
  actor: Actor,
  input: z.input<typeof reconcileRunInput>,
) {
  requirePermission(actor, 'billing.write');
  const v = reconcileRunInput.parse(input);
  const { day } = await checkedDay(deps, actor.tenantId, v.day);
  const gateways = v.gateway ? [v.gateway] : await enabledGateways(deps, actor.tenantId);
  if (gateways.length === 0) {
    throw invalid('PAYMENT.NO_GATEWAYS', 'No online payment method is enabled: nothing to reconcile');
  }
  const runs: RunRow[] = [];
  for (const g of gateways) {
    runs.push(
      await reconcileProviderDay(deps, actor.tenantId, g, day, { trigger: 'manual', runBy: actor.userId }),
    );
  }
  await writeAudit(deps.app.db, {
    ...auditActor(actor),
    action: 'payment.reconcile.run',
    entityType: 'reconciliation_day',
    entityId: day,
    after: { gateways, statuses: runs.map((r) => r.status) },
  });
  return runs.map((r) => ({
    id: r.id,
    gateway: r.gateway,
    status: r.status,
    differenceCount: r.differenceCount,
  }));
}

/** Methods as the cash report groups them. */
export const TOTAL_GROUPS: Record<PaymentMethod, 'cash' | 'mpesa' | 'stripe' | 'paypal' | 'bank'> = {
  cash: 'cash',
  mpesa: 'mpesa',
  card: 'stripe',
  paypal: 'paypal',
  bank_transfer: 'bank',
  cheque: 'bank',
};

/** Everything received on the tenant-local day, by method group and currency (the cash report). */
export async function totalsByMethod(deps: PaymentDeps, tenantId: string, start: Date, end: Date) {
  const rows = await deps.app.db
    .select({
      method: payments.method,
      currency: payments.currency,
      total: sql<string>`sum(${payments.amountMinor})::text`,
      count: sql<number>`count(*)::int`,
    })
    .from(payments)
    .where(
      and(eq(payments.tenantId, tenantId), gte(payments.receivedAt, start), lt(payments.receivedAt, end)),
    )
    .groupBy(payments.method, payments.currency);
  const out = new Map<string, { group: string; currency: string; totalMinor: bigint; count: number }>();
  for (const r of rows) {
    const group = TOTAL_GROUPS[r.method] ?? 'bank';
    const key = `${group}:${r.currency}`;
    const prev = out.get(key) ?? { group, currency: r.currency, totalMinor: 0n, count: 0 };
    out.set(key, { ...prev, totalMinor: prev.totalMinor + BigInt(r.total), count: prev.count + r.count });
  }
  const order = ['cash', 'mpesa', 'stripe', 'paypal', 'bank'];
  return [...out.values()].sort(
    (a, b) => order.indexOf(a.group) - order.indexOf(b.group) || a.currency.localeCompare(b.currency),
  );
}

/** The console page: a day's runs per provider with their differences, and the day's totals. */
export async function reconciliationDay(
  deps: PaymentDeps,
  actor: Actor,
  input: z.input<typeof reconcileDayInput>,
) {
  requirePermission(actor, 'billing.read');
  const asked = reconcileDayInput.parse(input).day;
  const { day, tz } = await checkedDay(
    deps,
    actor.tenantId,
    asked ?? addDays(localDay(new Date(), await tenantZone(deps, actor.tenantId)), -1),
  );
  const { db } = deps.app;
  const start = dayStart(day, tz);
  const end = dayStart(addDays(day, 1), tz);
  const runs = await db
    .select()
    .from(reconciliationRuns)
    .where(and(eq(reconciliationRuns.tenantId, actor.tenantId), eq(reconciliationRuns.day, day)))
    .orderBy(reconciliationRuns.gateway);
  const diffs =
    runs.length === 0
      ? []
      : await db
          .select({
            id: reconciliationDifferences.id,
            runId: reconciliationDifferences.runId,
            kind: reconciliationDifferences.kind,
            providerRef: reconciliationDifferences.providerRef,
            paymentId: reconciliationDifferences.paymentId,
            subscriberId: payments.subscriberId,
            inSuspense: reconciliationDifferences.inSuspense,
            providerAmountMinor: reconciliationDifferences.providerAmountMinor,
            providerCurrency: reconciliationDifferences.providerCurrency,
            kasiAmountMinor: reconciliationDifferences.kasiAmountMinor,
            kasiCurrency: reconciliationDifferences.kasiCurrency,
            occurredAt: reconciliationDifferences.occurredAt,
          })
          .from(reconciliationDifferences)
          .leftJoin(payments, eq(payments.id, reconciliationDifferences.paymentId))
          .where(
            and(
              eq(reconciliationDifferences.tenantId, actor.tenantId),
              inArray(
                reconciliationDifferences.runId,
                runs.map((r) => r.id),
              ),
            ),
          )
          .orderBy(reconciliationDifferences.occurredAt);
  const figures =
    runs.length === 0
      ? []
      : await db
          .select()
          .from(reconciliationFigures)
          .where(
            and(
              eq(reconciliationFigures.tenantId, actor.tenantId),
              inArray(
                reconciliationFigures.runId,
                runs.map((r) => r.id),
              ),
            ),
          )
          .orderBy(reconciliationFigures.currency);
  return {
    day,
    timezone: tz,
    today: localDay(new Date(), tz),
    gateways: await enabledGateways(deps, actor.tenantId),
    runs: runs.map((r) => ({
      id: r.id,
      gateway: r.gateway,
      source: r.source,
      status: r.status,
      trigger: r.trigger,
      providerCount: r.providerCount,
      kasiCount: r.kasiCount,
      matchedCount: r.matchedCount,
      differenceCount: r.differenceCount,
      error: r.error,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      differences: diffs.filter((d) => d.runId === r.id),
      figures: figures
        .filter((f) => f.runId === r.id)
        .map((f) => ({
          currency: f.currency,
          grossMinor: f.grossMinor,
          feesMinor: f.feesMinor,
          refundsMinor: f.refundsMinor,
          disputesMinor: f.disputesMinor,
          netMinor: f.netMinor,
          payoutsMinor: f.payoutsMinor,
          refundsFromKasi: f.refundsFromKasi,
          kasiGrossMinor: f.kasiGrossMinor,
          kasiRefundsMinor: f.kasiRefundsMinor,
          kasiDisputesMinor: f.kasiDisputesMinor,
        })),
    })),
    totals: await totalsByMethod(deps, actor.tenantId, start, end),
    statusQueries: await recentStatusQueries(deps, actor.tenantId),
  };
}
