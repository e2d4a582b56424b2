// The console's view of "buy plan" purchases (issue 13): codes a hotspot customer paid for
// online. Billing lists them (newest first, by where their refund stands, or by code) with a
// link to each code; a code's page shows the purchase that bought it — method, the provider's
// ids, the charge — and its refunds with who asked, so a second person can decide there.
// Only paid purchases: an attempt that failed or was cancelled bought nothing to give back.
import { and, desc, eq, like, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { paymentAttempts, paymentRefunds, plans, vouchers } from '@kasi/db';
import { normalizeVoucherCode } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { refundsWhere } from './payments-read.ts';

/** Where a purchase stands: kept, a refund waiting or on its way, or given back. */
export const PLAN_PURCHASE_STATUSES = ['paid', 'refund_pending', 'refunded'] as const;
export type PlanPurchaseStatus = (typeof PLAN_PURCHASE_STATUSES)[number];

export const planPurchaseListInput = z
  .object({
    status: z.enum(PLAN_PURCHASE_STATUSES).optional(),
    /** The code, or its start (dashes and case as the customer reads it). */
    code: z.string().trim().max(64).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });

export const planPurchaseInput = z.object({ voucherId: z.uuid() });

/** Per attempt of the tenant: whether a refund went through, and whether one is still open. */
function refundState(app: AppContext, tenantId: string) {
  const st = paymentRefunds.status;
  return app.db
    .select({
      attemptId: paymentRefunds.attemptId,
      refunded: sql<boolean>`bool_or(${st} = 'succeeded')`.as('refunded'),
      pending: sql<boolean>`bool_or(${st} in ('pending_approval', 'requested'))`.as('pending'),
    })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), sql`${paymentRefunds.attemptId} is not null`))
    .groupBy(paymentRefunds.attemptId)
    .as('pr');
}

function purchaseColumns(r: ReturnType<typeof refundState>) {
  return {
    attemptId: paymentAttempts.id,
    gateway: paymentAttempts.gateway,
    chargedMinor: paymentAttempts.chargedMinor,
    currency: paymentAttempts.currency,
    /** The provider's id people quote: M-Pesa receipt, Stripe payment intent, PayPal capture. */
    receipt: paymentAttempts.receipt,
    /** CheckoutRequestID (M-Pesa), Checkout Session (Stripe), order (PayPal). */
    checkoutRef: paymentAttempts.providerRef,
    phoneMasked: paymentAttempts.phoneMasked,
    paidAt: paymentAttempts.settledAt,
    createdAt: paymentAttempts.createdAt,
    voucherId: vouchers.id,
    code: vouchers.code,
    voucherStatus: vouchers.status,
    planName: plans.name,
    status: sql<PlanPurchaseStatus>`case when coalesce(${r.refunded}, false) then 'refunded'
      when coalesce(${r.pending}, false) then 'refund_pending' else 'paid' end`,
  };
}

/** Paid purchases of tenant `t` with their code, plan and refund status, where `more` holds. */
function paidPurchases(
  app: AppContext,
  t: string,
  more: (cols: ReturnType<typeof purchaseColumns>) => SQL[],
) {
  const r = refundState(app, t);
  const cols = purchaseColumns(r);
  return app.db
    .select(cols)
    .from(paymentAttempts)
    .innerJoin(vouchers, and(eq(vouchers.tenantId, t), eq(vouchers.id, paymentAttempts.voucherId)))
    .innerJoin(plans, eq(plans.id, paymentAttempts.planId))
    .leftJoin(r, eq(r.attemptId, paymentAttempts.id))
    .where(and(eq(paymentAttempts.tenantId, t), eq(paymentAttempts.status, 'succeeded'), ...more(cols)));
}

/** Paid plan purchases, newest first, optionally by refund status or code. */
export async function listPlanPurchases(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof planPurchaseListInput> = {},
) {
  requirePermission(actor, 'billing.read');
  const v = planPurchaseListInput.parse(input);
  const code = v.code ? normalizeVoucherCode(v.code) : '';
  return paidPurchases(app, actor.tenantId, (cols) => [
    ...(v.status ? [sql`(${cols.status}) = ${v.status}`] : []),
    ...(code ? [like(vouchers.code, `${code.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)] : []),
  ])
    .orderBy(desc(paymentAttempts.createdAt), desc(paymentAttempts.id))
    .limit(v.limit);
}

/** The purchase that bought a code, with its refunds (oldest first); null if it was not bought online. */
export async function planPurchaseOfCode(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof planPurchaseInput>,
) {
  requirePermission(actor, 'billing.read');
  const { voucherId } = planPurchaseInput.parse(input);
  const t = actor.tenantId;
  const [found] = await paidPurchases(app, t, () => [eq(paymentAttempts.voucherId, voucherId)]);
  if (!found) return null;
  const refunds = await refundsWhere(app, t, eq(paymentRefunds.attemptId, found.attemptId));
  return { ...found, refunds };
}
