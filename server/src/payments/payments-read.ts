// The console's payments screens (issue 13, item 7): every payment of the tenant with filters
// (method, refund status, whole days of the tenant's calendar, subscriber, amount), newest
// first by keyset; one payment with where it came from (the provider's ids, the attempts and
// the inbox events behind it) and what it did (allocations to invoices, credit left, refunds);
// and the suspense queue's search for whom a payment belongs to. The CSV export reads the same
// list with the same filters (reports/csv-lists.ts).
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  allocations,
  invoices,
  paymentAttempts,
  paymentEvents,
  paymentRefunds,
  payments,
  subscribers,
  tenants,
  users,
  type GatewayKind,
} from '@kasi/db';
import {
  GATEWAY_PAYMENT_METHODS,
  invalid,
  isDomainError,
  notFound,
  parseMoney,
  PAYMENT_METHODS,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { isoDay, resolveDays } from '../cash/report-days.ts';
import { tenantCalendar } from '../reports/sales-report.service.ts';

/** Where a payment stands after refunds: kept whole, some going back, some or all gone back. */
export const PAYMENT_STATUSES = ['received', 'refund_pending', 'partly_refunded', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const amountText = z.string().trim().max(24);

export const paymentListInput = z.object({
  method: z.enum([...PAYMENT_METHODS, ...GATEWAY_PAYMENT_METHODS]).optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  /** Whole days of the tenant's calendar, both included. */
  fromDay: isoDay.optional(),
  toDay: isoDay.optional(),
  subscriberId: z.uuid().optional(),
  /** User name or name, from its start. */
  subscriber: z.string().trim().max(100).optional(),
  /** Decimal amounts in the tenant's currency ("150", "150.50"), both included. */
  minAmount: amountText.optional(),
  maxAmount: amountText.optional(),
  /** Keyset: the `nextBefore` of the previous page. */
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/)
    .optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type PaymentListInput = z.input<typeof paymentListInput>;

/** Refund totals per payment of the tenant: gone back, and on its way or waiting for approval. */
function refundTotals(app: AppContext, tenantId: string) {
  const amount = paymentRefunds.amountMinor;
  const st = paymentRefunds.status;
  return app.db
    .select({
      paymentId: paymentRefunds.paymentId,
      refunded: sql<string>`coalesce(sum(${amount}) filter (where ${st} = 'succeeded'), 0)::text`.as(
        'refunded',
      ),
      pending:
        sql<string>`coalesce(sum(${amount}) filter (where ${st} in ('pending_approval', 'requested')), 0)::text`.as(
          'pending',
        ),
    })
    .from(paymentRefunds)
    .where(eq(paymentRefunds.tenantId, tenantId))
    .groupBy(paymentRefunds.paymentId)
    .as('r');
}

/** A gateway payment's attempt: the payment's source is `attempt:<id>`. */
const attemptOfPayment = sql`${paymentAttempts.id} = case when ${payments.sourceId} like 'attempt:%'
  then substr(${payments.sourceId}, 9)::uuid end`;

function amountBound(text: string | undefined, currency: string, field: string): bigint | null {
  if (!text) return null;
  try {
    return parseMoney(text, currency).amountMinor;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    throw invalid('PAYMENT.BAD_AMOUNT_FILTER', `Not an amount in ${currency}: ${e.message}`, { field });
  }
}

export async function listPaymentsFiltered(app: AppContext, actor: Actor, input: PaymentListInput = {}) {
  requirePermission(actor, 'billing.read');
  const v = paymentListInput.parse(input);
  const t = actor.tenantId;
  const cal = await tenantCalendar(app, actor);
  const [tenant] = await app.db.select({ currency: tenants.currency }).from(tenants).where(eq(tenants.id, t));
  const currency = tenant?.currency ?? 'KES';
  const r = refundTotals(app, t);
  const refunded = sql<string>`coalesce(${r.refunded}, '0')`;
  const pending = sql<string>`coalesce(${r.pending}, '0')`;
  const status = sql<PaymentStatus>`case
    when ${refunded}::bigint >= ${payments.amountMinor} then 'refunded'
    when ${pending}::bigint > 0 then 'refund_pending'
    when ${refunded}::bigint > 0 then 'partly_refunded'
    else 'received' end`;

  const where: (SQL | undefined)[] = [eq(payments.tenantId, t)];
  if (v.method) where.push(eq(payments.method, v.method));
  if (v.status) where.push(sql`(${status}) = ${v.status}`);
  if (v.subscriberId) where.push(eq(payments.subscriberId, v.subscriberId));
  if (v.subscriber) {
    const like = `${v.subscriber.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(subscribers.username, like), ilike(subscribers.fullName, like)));
  }
  if (v.fromDay || v.toDay) {
    // One-sided ranges are open on the other side; resolveDays refuses a backwards range.
    const { fromDay, toDay } = resolveDays(
      { fromDay: v.fromDay ?? v.toDay, toDay: v.toDay ?? v.fromDay },
      cal.today,
    );
    if (v.fromDay)
      where.push(sql`${payments.receivedAt} >= (${fromDay}::date)::timestamp at time zone ${cal.timezone}`);
    if (v.toDay)
      where.push(sql`${payments.receivedAt} < (${toDay}::date + 1)::timestamp at time zone ${cal.timezone}`);
  }
  const min = amountBound(v.minAmount, currency, 'minAmount');
  const max = amountBound(v.maxAmount, currency, 'maxAmount');
  if (min !== null) where.push(sql`${payments.amountMinor} >= ${min}`);
  if (max !== null) where.push(sql`${payments.amountMinor} <= ${max}`);
  if (min !== null && max !== null && min > max) {
    throw invalid('PAYMENT.BAD_AMOUNT_FILTER', 'The smallest amount is more than the largest', {
      field: 'minAmount',
    });
  }
  if (v.before) {
    // Microseconds in the key: a millisecond Date would skip payments within the same millisecond.
    const [at, id] = v.before.split('_') as [string, string];
    where.push(sql`(${payments.receivedAt}, ${payments.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }

  const rows = await app.db
    .select({
      id: payments.id,
      receiptNumber: payments.receiptNumber,
      method: payments.method,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      reference: payments.reference,
      sourceId: payments.sourceId,
      receivedAt: payments.receivedAt,
      receivedKey: sql<string>`to_char(${payments.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      subscriberId: payments.subscriberId,
      username: subscribers.username,
      fullName: subscribers.fullName,
      gateway: paymentAttempts.gateway,
      providerReceipt: paymentAttempts.receipt,
      refunded,
      pending,
      status,
    })
    .from(payments)
    .innerJoin(subscribers, eq(subscribers.id, payments.subscriberId))
    .leftJoin(paymentAttempts, and(eq(paymentAttempts.tenantId, t), attemptOfPayment))
    .leftJoin(r, eq(r.paymentId, payments.id))
    .where(and(...where))
    .orderBy(desc(payments.receivedAt), desc(payments.id))
    .limit(v.limit + 1);

  const page = rows
    .slice(0, v.limit)
    .map(({ refunded: rf, pending: pd, sourceId, gateway, providerReceipt, receivedKey, ...p }) => ({
      ...p,
      /** The provider's id people quote: M-Pesa receipt, Stripe payment intent, PayPal capture. */
      providerId: sourceId?.startsWith('mpesa:') ? sourceId.slice(6) : providerReceipt,
      gateway: (sourceId?.startsWith('mpesa:') ? 'mpesa' : gateway) as GatewayKind | null,
      refundedMinor: BigInt(rf),
      pendingRefundMinor: BigInt(pd),
      /** This row's keyset position. */
      key: `${receivedKey}_${p.id}`,
    }));
  const last = page.at(-1);
  return {
    rows: page,
    nextBefore: rows.length > v.limit && last ? last.key : null,
    currency,
    timezone: cal.timezone,
    today: cal.today,
  };
}

export type PaymentListRow = Awaited<ReturnType<typeof listPaymentsFiltered>>['rows'][number];

/** One payment: where it came from and what it did. */
export async function paymentDetail(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'billing.read');
  const t = actor.tenantId;
  const db = app.db;
  const [found] = await db
    .select({
      payment: payments,
      username: subscribers.username,
      fullName: subscribers.fullName,
      recordedBy: users.name,
    })
    .from(payments)
    .innerJoin(subscribers, eq(subscribers.id, payments.subscriberId))
    .leftJoin(users, eq(users.id, payments.recordedBy))
    .where(and(eq(payments.tenantId, t), eq(payments.id, id)));
  if (!found) throw notFound('PAYMENT.NOT_FOUND', 'No such payment');
  const p = found.payment;

  // The attempt that paid, and the earlier tries through the same pay link (failed, cancelled).
  const paidBy = p.sourceId?.startsWith('attempt:') ? p.sourceId.slice(8) : null;
  const [paying] = paidBy
    ? await db
        .select()
        .from(paymentAttempts)
        .where(and(eq(paymentAttempts.tenantId, t), eq(paymentAttempts.id, paidBy)))
    : [];
  const attempts = paying
    ? await db
        .select()
        .from(paymentAttempts)
        .where(
          and(
            eq(paymentAttempts.tenantId, t),
            paying.payLinkId
              ? or(eq(paymentAttempts.id, paying.id), eq(paymentAttempts.payLinkId, paying.payLinkId))
              : eq(paymentAttempts.id, paying.id),
          ),
        )
        .orderBy(asc(paymentAttempts.createdAt))
        .limit(50)
    : [];
  const c2b = p.sourceId?.startsWith('mpesa:') ? p.sourceId.slice(6) : null;
  const gateway: GatewayKind | null = c2b ? 'mpesa' : (paying?.gateway ?? null);

  // The inbox events: those applied to its attempts, and those naming its provider ids
  // (a C2B confirmation's TransID, a refund or dispute on the payment intent or capture).
  const refs = [c2b, ...attempts.map((a) => a.providerRef), paying?.receipt].filter(
    (x): x is string => typeof x === 'string' && x.length > 0,
  );
  const eventWhere = [
    attempts.length > 0
      ? inArray(
          paymentEvents.attemptId,
          attempts.map((a) => a.id),
        )
      : undefined,
    refs.length > 0 ? inArray(paymentEvents.providerRef, refs) : undefined,
  ].filter((x): x is SQL => x !== undefined);
  const events =
    gateway && eventWhere.length > 0
      ? await db
          .select({
            id: paymentEvents.id,
            gateway: paymentEvents.gateway,
            type: paymentEvents.type,
            providerEventId: paymentEvents.providerEventId,
            providerRef: paymentEvents.providerRef,
            receivedAt: paymentEvents.receivedAt,
            appliedAt: paymentEvents.appliedAt,
            outcome: paymentEvents.outcome,
            attemptId: paymentEvents.attemptId,
          })
          .from(paymentEvents)
          .where(and(eq(paymentEvents.tenantId, t), eq(paymentEvents.gateway, gateway), or(...eventWhere)))
          .orderBy(asc(paymentEvents.receivedAt))
          .limit(100)
      : [];

  const settled = await db
    .select({
      id: allocations.id,
      invoiceId: allocations.invoiceId,
      displayNumber: invoices.displayNumber,
      amountMinor: allocations.amountMinor,
      createdAt: allocations.createdAt,
      releasedAt: allocations.releasedAt,
    })
    .from(allocations)
    .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
    .where(
      and(eq(allocations.tenantId, t), eq(allocations.sourceType, 'payment'), eq(allocations.sourceId, p.id)),
    )
    .orderBy(asc(allocations.createdAt));

  const refunds = await refundsWhere(app, t, eq(paymentRefunds.paymentId, p.id));

  const total = (xs: { amountMinor: bigint }[]) => xs.reduce((s, x) => s + x.amountMinor, 0n);
  const refundedMinor = total(refunds.filter((x) => x.status === 'succeeded'));
  const holdingMinor = total(
    refunds.filter(
      (x) => x.status === 'succeeded' || x.status === 'requested' || x.status === 'pending_approval',
    ),
  );
  const allocatedMinor = total(settled.filter((a) => a.releasedAt === null));
  const creditMinor = p.amountMinor - refundedMinor - allocatedMinor;

  return {
    id: p.id,
    receiptNumber: p.receiptNumber,
    method: p.method,
    amountMinor: p.amountMinor,
    currency: p.currency,
    reference: p.reference,
    receivedAt: p.receivedAt,
    recordedBy: found.recordedBy,
    subscriber: { id: p.subscriberId, username: found.username, fullName: found.fullName },
    gateway,
    /** The provider's ids: M-Pesa receipt or C2B TransID, Stripe payment intent, PayPal capture. */
    provider: {
      receipt: c2b ?? paying?.receipt ?? null,
      /** CheckoutRequestID (M-Pesa STK), Checkout Session (Stripe), order (PayPal). */
      checkoutRef: paying?.providerRef ?? null,
      c2b: c2b !== null,
    },
    attempts: attempts.map((a) => ({
      id: a.id,
      gateway: a.gateway,
      status: a.status,
      amountMinor: a.amountMinor,
      chargedMinor: a.chargedMinor,
      currency: a.currency,
      providerRef: a.providerRef,
      phoneMasked: a.phoneMasked,
      resultCode: a.resultCode,
      reason: a.reason,
      receipt: a.receipt,
      paid: a.id === paidBy,
      createdAt: a.createdAt,
      lastQueriedAt: a.lastQueriedAt,
      settledAt: a.settledAt,
    })),
    events,
    allocations: settled,
    refunds,
    /** Ledger effect: on invoices now, left as credit, gone back, and still refundable. */
    allocatedMinor,
    creditMinor: creditMinor > 0n ? creditMinor : 0n,
    refundedMinor,
    refundableMinor: p.amountMinor - holdingMinor,
  };
}

/**
 * The refunds of a payment or of a plan purchase (`which`), oldest first, with the name of
 * whoever asked for each: the payment page and a code's purchase show the same panel.
 */
export function refundsWhere(app: AppContext, tenantId: string, which: SQL) {
  return app.db
    .select({
      id: paymentRefunds.id,
      kind: paymentRefunds.kind,
      status: paymentRefunds.status,
      amountMinor: paymentRefunds.amountMinor,
      currency: paymentRefunds.currency,
      providerRefundId: paymentRefunds.providerRefundId,
      reference: paymentRefunds.reference,
      reason: paymentRefunds.reason,
      failureReason: paymentRefunds.failureReason,
      approval: paymentRefunds.approval,
      requestedBy: paymentRefunds.requestedBy,
      requestedByName: users.name,
      createdAt: paymentRefunds.createdAt,
      settledAt: paymentRefunds.settledAt,
    })
    .from(paymentRefunds)
    .leftJoin(users, eq(users.id, paymentRefunds.requestedBy))
    .where(and(eq(paymentRefunds.tenantId, tenantId), which))
    .orderBy(asc(paymentRefunds.createdAt));
}

export const matchCandidatesInput = z.object({ q: z.string().trim().min(2).max(100) });

/**
 * Whom a suspense payment may belong to: subscribers by user name, name or phone ending, and
 * open invoices by number. At most ten of each.
 */
export async function matchCandidates(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof matchCandidatesInput>,
) {
  requirePermission(actor, 'billing.read');
  const { q } = matchCandidatesInput.parse(input);
  const t = actor.tenantId;
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const like = `${escaped}%`;
  const digits = q.replace(/\D/g, '');
  const subs = await app.db
    .select({
      id: subscribers.id,
      username: subscribers.username,
      fullName: subscribers.fullName,
      phone: subscribers.phone,
    })
    .from(subscribers)
    .where(
      and(
        eq(subscribers.tenantId, t),
        or(
          ilike(subscribers.username, like),
          ilike(subscribers.fullName, like),
          digits.length >= 6 ? sql`${subscribers.phone} like ${`%${digits}`}` : undefined,
        ),
      ),
    )
    .orderBy(subscribers.username)
    .limit(10);
  const open = await app.db
    .select({
      id: invoices.id,
      displayNumber: invoices.displayNumber,
      subscriberId: invoices.subscriberId,
      username: subscribers.username,
      totalMinor: invoices.totalMinor,
      allocatedMinor: invoices.allocatedMinor,
      currency: invoices.currency,
      status: invoices.status,
    })
    .from(invoices)
    .innerJoin(subscribers, eq(subscribers.id, invoices.subscriberId))
    .where(
      and(
        eq(invoices.tenantId, t),
        eq(invoices.kind, 'invoice'),
        inArray(invoices.status, ['open', 'partially_paid']),
        or(
          ilike(invoices.displayNumber, `%${escaped}%`),
          /^\d{1,18}$/.test(q) ? eq(invoices.number, BigInt(q)) : undefined,
        ),
      ),
    )
    .orderBy(desc(invoices.issuedAt))
    .limit(10);
  return { subscribers: subs, invoices: open };
}
