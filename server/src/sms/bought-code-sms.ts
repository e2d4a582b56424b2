// A voucher code bought by SMS (`BUY <plan>`) is texted to the buyer once paid (issue 14):
// the pay link keeps the number that asked (`pay_links.buyer_phone`), and the message is
// queued in the transaction that issues the code (settlePlanAttempt) — it exists exactly when
// the code does. A replayed callback or a second event finds the attempt settled and queues
// nothing; the outbox's dedupe key (the attempt) would answer with the first message anyway.
// The outbox applies opt-out and shows why a message was not sent. The wording is the
// tenant's "voucher sale receipt" template (code, plan, where to log in) in its SMS language,
// as for an agent's sale. pg-boss's tables get the message id only, never the number or code.
import { and, eq } from 'drizzle-orm';
import { payLinks, paymentAttempts, plans, tenants, vouchers, type Executor } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { saleReceiptVars } from './receipt-text.ts';
import { smsEnvOf } from './sms-env.ts';
import { queueSms, type QueuedSms } from './sms-outbox.ts';

/** One code SMS per paid attempt, however often its settlement is replayed. */
export const boughtCodeDedupeKey = (attemptId: string) => `plan_purchase:${attemptId}`;

/**
 * In the settling transaction `tx`, once the attempt's code is issued: queue the code to the
 * link's buyer number. Null when the link keeps no number (a hotspot "buy now" or /my purchase:
 * the buyer sees the code on the paid page).
 */
export async function queueBoughtCodeSms(
  app: AppContext,
  tx: Executor,
  attempt: { tenantId: string; id: string },
): Promise<QueuedSms | null> {
  const [row] = await tx
    .select({
      code: vouchers.code,
      planName: plans.name,
      tenantName: tenants.name,
      hotspotUrl: tenants.hotspotUrl,
      buyerPhone: payLinks.buyerPhone,
      subscriberId: payLinks.subscriberId,
    })
    .from(paymentAttempts)
    .innerJoin(payLinks, eq(payLinks.id, paymentAttempts.payLinkId))
    .innerJoin(vouchers, eq(vouchers.id, paymentAttempts.voucherId))
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .innerJoin(tenants, eq(tenants.id, paymentAttempts.tenantId))
    .where(and(eq(paymentAttempts.tenantId, attempt.tenantId), eq(paymentAttempts.id, attempt.id)));
  if (!row?.buyerPhone) return null;
  return queueSms(app, tx, {
    tenantId: attempt.tenantId,
    to: row.buyerPhone,
    event: 'sale_receipt',
    vars: saleReceiptVars({
      tenantName: row.tenantName,
      code: row.code,
      planName: row.planName,
      hotspotUrl: row.hotspotUrl ?? smsEnvOf(app).hotspotUrl,
    }),
    subscriberId: row.subscriberId,
    dedupeKey: boughtCodeDedupeKey(attempt.id),
  });
}
