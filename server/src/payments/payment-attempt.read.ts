// The operator's view of online payment attempts (newest first), per subscriber or all.
import { and, desc, eq } from 'drizzle-orm';
import { paymentAttempts, subscribers } from '@kasi/db';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

export const attemptListInput = z.object({ subscriberId: z.uuid().optional() }).default({});

export async function listAttempts(app: AppContext, actor: Actor, filter: z.output<typeof attemptListInput>) {
  requirePermission(actor, 'billing.read');
  const where = [eq(paymentAttempts.tenantId, actor.tenantId)];
  if (filter.subscriberId) where.push(eq(paymentAttempts.subscriberId, filter.subscriberId));
  return app.db
    .select({
      id: paymentAttempts.id,
      subscriberId: paymentAttempts.subscriberId,
      username: subscribers.username,
      invoiceId: paymentAttempts.invoiceId,
      planId: paymentAttempts.planId,
      voucherId: paymentAttempts.voucherId,
      gateway: paymentAttempts.gateway,
      status: paymentAttempts.status,
      amountMinor: paymentAttempts.amountMinor,
      chargedMinor: paymentAttempts.chargedMinor,
      currency: paymentAttempts.currency,
      providerRef: paymentAttempts.providerRef,
      phoneMasked: paymentAttempts.phoneMasked,
      resultCode: paymentAttempts.resultCode,
      reason: paymentAttempts.reason,
      receipt: paymentAttempts.receipt,
      paymentId: paymentAttempts.paymentId,
      createdAt: paymentAttempts.createdAt,
      settledAt: paymentAttempts.settledAt,
    })
    .from(paymentAttempts)
    .leftJoin(subscribers, eq(subscribers.id, paymentAttempts.subscriberId))
    .where(and(...where))
    .orderBy(desc(paymentAttempts.createdAt))
    .limit(500);
}
