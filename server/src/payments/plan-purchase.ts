// "Buy plan X" (issue 13 Must exist 2, ADR 0021): a pay link for one voucher code of a plan,
// for hotspot customers who are nobody's subscriber. The link may carry the router, MAC and IP
// the hotspot login page was opened from. Once an attempt on it is paid (M-Pesa, Stripe or
// PayPal, through the inbox → `payment.apply` job like every payment) one code of the plan
// leaves stock through the one-channel rule (`drawStock`, channel `online`, sold now; ADR
// 0012) — generated first when the plan has no stock — in the same transaction that marks
// the attempt succeeded, so a replayed or second event finds the attempt settled and issues
// nothing. The dashboard counts the code as an online sale at its plan's price.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  payLinks,
  paymentAttempts,
  plans,
  routers,
  subscribers,
  voucherBatches,
  vouchers,
  writeAudit,
  type Database,
  type Executor,
  type Transaction,
} from '@kasi/db';
import { conflict, invalid, isDomainError, notFound } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { insertBatchCodes } from '../vouchers/voucher-generate.ts';
import { drawStock } from '../vouchers/voucher-stock.ts';
import { maskPhone } from '../sms/phone-number.ts';
import type { AttemptResult, AttemptRow } from './attempt-settle.ts';
import { hashToken } from './gateway-factory.ts';
import { payLinkUrl } from './pay-link.service.ts';
import { paymentDepsOf } from './payment-deps.ts';

const MAC = /^[0-9A-F]{2}(?::[0-9A-F]{2}){5}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

export const planPayLinkInput = z.object({
  tenantId: z.uuid(),
  planId: z.uuid({ error: 'planId: not a plan id' }),
  routerId: z.uuid({ error: 'routerId: not a router id' }).nullish(),
  /** The signed-in subscriber who asked on /my: their codes bought are listed there. */
  subscriberId: z.uuid({ error: 'subscriberId: not a subscriber id' }).nullish(),
  /** As RouterOS gives `$(mac)`: AA:BB:CC:DD:EE:FF (any case, `-` accepted). */
  mac: z
    .string()
    .transform((s) => s.trim().toUpperCase().replaceAll('-', ':'))
    .refine((s) => MAC.test(s), { message: 'mac: not a MAC address' })
    .nullish(),
  ip: z
    .string()
    .trim()
    .refine((s) => IPV4.test(s), { message: 'ip: not an IPv4 address' })
    .nullish(),
  /**
   * The hotspot's login address the device saw (`$(link-login-only)`): the paid page sends the
   * device back there with its code. The hotspot page checks it is the router's (ADR 0024).
   */
  loginUrl: z
    .string()
    .trim()
    .max(500, { message: 'loginUrl: too long' })
    .refine((s) => /^https?:\/\/[^\s/?#]+\/[^\s]*$/.test(s), { message: 'loginUrl: not a web address' })
    .nullish(),
  /**
   * Where to text the code once paid (E.164): the number that asked by SMS (`BUY <plan>`).
   * The SMS goes through the outbox (opt-out, retries) in the transaction that issues the code.
   */
  buyerPhone: z
    .string()
    .regex(/^\+[1-9][0-9]{6,14}$/, { message: 'buyerPhone: not an international (E.164) number' })
    .nullish(),
});
export type PlanPayLinkInput = z.input<typeof planPayLinkInput>;

/** Codes generated for online sales when a plan has no stock left: 8 symbols, no prefix. */
const ONLINE_BATCH = { name: 'Online sales', codeLength: 8, prefix: '' };

/**
 * A new "buy plan" link in `tx`: for the hotspot "buy now" button, `BUY <plan>` by SMS or the
 * CLI. The plan must be active, not archived, sold on vouchers and priced. Returns the URL
 * (the token is shown only here) and the link id. `actor` is who asked (null: the hotspot page
 * itself, audited as "hotspot page").
 */
export async function createPlanPayLink(
  app: AppContext,
  tx: Executor,
  input: PlanPayLinkInput,
  actor: Actor | null = null,
): Promise<{ id: string; url: string }> {
  const parsed = planPayLinkInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'input');
    throw invalid('PAYLINK.INVALID', issue.message, { field });
  }
  const v = parsed.data;
  const [plan] = await tx
    .select()
    .from(plans)
    .where(and(eq(plans.tenantId, v.tenantId), eq(plans.id, v.planId)));
  if (!plan) throw notFound('PLAN.NOT_FOUND', 'planId: no such plan');
  if (!plan.active || plan.archivedAt || plan.audience === 'subscriber') {
    throw conflict('PAYLINK.PLAN_NOT_SOLD', `Plan "${plan.name}" is not sold as vouchers`, {
      field: 'planId',
    });
  }
  if (plan.priceMinor <= 0n) {
    throw conflict('PAYLINK.PLAN_FREE', `Plan "${plan.name}" has no price`, { field: 'planId' });
  }
  if (v.routerId) {
    const [r] = await tx
      .select({ id: routers.id })
      .from(routers)
      .where(and(eq(routers.tenantId, v.tenantId), eq(routers.id, v.routerId)));
    if (!r) throw notFound('ROUTER.NOT_FOUND', 'routerId: no such router');
  }
  if (v.subscriberId) {
    const [sub] = await tx
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(and(eq(subscribers.tenantId, v.tenantId), eq(subscribers.id, v.subscriberId)));
    if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', 'subscriberId: no such subscriber');
  }
  const token = randomBytes(16).toString('base64url');
  const [row] = await tx
    .insert(payLinks)
    .values({
      tenantId: v.tenantId,
      tokenHash: hashToken(token),
      kind: 'plan',
      planId: plan.id,
      subscriberId: v.subscriberId ?? null,
      routerId: v.routerId ?? null,
      clientMac: v.mac ?? null,
      clientIp: v.ip ?? null,
      clientLoginUrl: v.loginUrl ?? null,
      buyerPhone: v.buyerPhone ?? null,
      createdBy: actor?.userId ?? null,
    })
    .returning({ id: payLinks.id });
  const who = actor
    ? auditActor(actor)
    : { tenantId: v.tenantId, actorUserId: null, actor: 'hotspot page', requestId: null };
  await writeAudit(tx, {
    ...who,
    action: 'payment.link.create',
    entityType: 'pay_link',
    entityId: row!.id,
    after: {
      planId: plan.id,
      routerId: v.routerId ?? null,
      mac: v.mac ?? null,
      ip: v.ip ?? null,
      ...(v.loginUrl && { loginUrl: v.loginUrl }),
      ...(v.subscriberId && { subscriberId: v.subscriberId }),
      ...(v.buyerPhone && { buyerPhone: maskPhone(v.buyerPhone) }),
    },
  });
  return { id: row!.id, url: payLinkUrl(paymentDepsOf(app), token) };
}

/** One code of the plan to the buyer: from stock, or generated when the plan has none. */
async function drawOnline(tx: Transaction, tenantId: string, planId: string, soldAt: Date) {
  try {
    const [code] = await drawStock(tx, {
      tenantId,
      from: { planId },
      count: 1,
      to: { channel: 'online', soldAt },
    });
    return code!;
  } catch (e) {
    if (!isDomainError(e) || e.code !== 'VOUCHER.NOT_ENOUGH_STOCK') throw e;
  }
  // No stock (or all of it locked by other draws right now): one more code in the plan's
  // online batch, then the same draw from that batch (still the one way codes leave stock).
  let [batch] = await tx
    .select()
    .from(voucherBatches)
    .where(
      and(
        eq(voucherBatches.tenantId, tenantId),
        eq(voucherBatches.planId, planId),
        eq(voucherBatches.name, ONLINE_BATCH.name),
      ),
    )
    .orderBy(desc(voucherBatches.createdAt))
    .limit(1)
    .for('update');
  if (batch) {
    await tx
      .update(voucherBatches)
      .set({ quantity: sql`${voucherBatches.quantity} + 1` })
      .where(eq(voucherBatches.id, batch.id));
  } else {
    [batch] = await tx
      .insert(voucherBatches)
      .values({ tenantId, planId, quantity: 1, ...ONLINE_BATCH })
      .returning();
  }
  await insertBatchCodes(tx, batch!, 1);
  const [code] = await drawStock(tx, {
    tenantId,
    from: { batchId: batch!.id },
    count: 1,
    to: { channel: 'online', soldAt },
  });
  return code!;
}

/**
 * A paid "buy plan" attempt: lock it, and unless it already succeeded, issue its code and mark
 * it succeeded in one transaction. Statuses only move forward; a failed attempt that the
 * provider later confirms paid still gets its code (the money came). `issued` runs in that
 * transaction once the code is issued (the caller queues the device's hotspot login there).
 */
export async function settlePlanAttempt(
  db: Database,
  a: AttemptRow,
  r: AttemptResult,
  issued?: (tx: Transaction, attempt: AttemptRow) => Promise<unknown>,
): Promise<'applied' | 'duplicate' | 'failed_attempt'> {
  return db.transaction(async (tx) => {
    const [cur] = await tx
      .select()
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.tenantId, a.tenantId), eq(paymentAttempts.id, a.id)))
      .for('update');
    if (!cur || cur.status === 'succeeded') return 'duplicate';
    const now = new Date();
    if (r.state === 'failed') {
      if (cur.status === 'failed') return 'failed_attempt';
      await tx
        .update(paymentAttempts)
        .set({ status: 'failed', resultCode: r.resultCode, reason: r.reason, settledAt: now, updatedAt: now })
        .where(eq(paymentAttempts.id, a.id));
      return 'failed_attempt';
    }
    const code = await drawOnline(tx, a.tenantId, cur.planId!, now);
    await tx
      .update(paymentAttempts)
      .set({
        status: 'succeeded',
        voucherId: code.id,
        resultCode: r.resultCode,
        reason: null,
        receipt: r.receipt ?? cur.receipt,
        settledAt: now,
        updatedAt: now,
      })
      .where(eq(paymentAttempts.id, a.id));
    await writeAudit(tx, {
      tenantId: a.tenantId,
      actorUserId: null,
      actor: `${a.gateway} (payment gateway)`,
      requestId: null,
      action: 'voucher.sell_online',
      entityType: 'voucher',
      entityId: code.id,
      after: { attemptId: a.id, planId: cur.planId, receipt: r.receipt ?? cur.receipt },
    });
    await issued?.(tx, cur);
    return 'applied';
  });
}

export interface IssuedCode {
  code: string;
  planId: string;
  planName: string;
  routerId: string | null;
  mac: string | null;
  ip: string | null;
  /** The hotspot login address the device came from (`$(link-login-only)`), if trusted. */
  loginUrl: string | null;
}

/**
 * The code a paid "buy plan" attempt issued, with where the buyer came from (for the hotspot
 * login step); null while unpaid, for other attempts, or another tenant's.
 */
export async function issuedCodeForAttempt(
  db: Executor,
  tenantId: string,
  attemptId: string,
): Promise<IssuedCode | null> {
  if (!/^[0-9a-f-]{36}$/i.test(attemptId)) return null;
  const [row] = await db
    .select({
      code: vouchers.code,
      planId: plans.id,
      planName: plans.name,
      routerId: payLinks.routerId,
      mac: payLinks.clientMac,
      ip: payLinks.clientIp,
      loginUrl: payLinks.clientLoginUrl,
    })
    .from(paymentAttempts)
    .innerJoin(vouchers, eq(vouchers.id, paymentAttempts.voucherId))
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .leftJoin(payLinks, eq(payLinks.id, paymentAttempts.payLinkId))
    .where(
      and(
        eq(paymentAttempts.tenantId, tenantId),
        eq(paymentAttempts.id, attemptId),
        eq(paymentAttempts.status, 'succeeded'),
      ),
    );
  return row ?? null;
}

/** The codes a "buy plan" link has bought so far (a paid link shows them again). */
export async function codesOfLink(db: Executor, tenantId: string, payLinkId: string) {
  return db
    .select({ attemptId: paymentAttempts.id, code: vouchers.code })
    .from(paymentAttempts)
    .innerJoin(vouchers, eq(vouchers.id, paymentAttempts.voucherId))
    .where(
      and(
        eq(paymentAttempts.tenantId, tenantId),
        eq(paymentAttempts.payLinkId, payLinkId),
        eq(paymentAttempts.status, 'succeeded'),
      ),
    )
    .orderBy(paymentAttempts.settledAt);
}
