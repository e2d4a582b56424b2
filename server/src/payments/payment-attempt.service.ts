// Starting a payment from a pay link: the attempt row fixes amount, currency and target
// before the provider is called (its id is the provider-side reference), the provider is
// asked to push or to open a checkout, and dunning is held off while it is pending.
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import {
  payLinks,
  paymentAttempts,
  paymentEvents,
  pendingPayments,
  type Executor,
  type GatewayKind,
} from '@kasi/db';
import { conflict, isDomainError, money, notFound } from '@kasi/domain';
import { hashToken, openGateway } from './gateway-factory.ts';
import { paymentApplyJob } from './payment-apply.job.ts';
import { publicBase, type PaymentDeps } from './payment-deps.ts';
import { openPayLink, payLinkUrl } from './pay-link.service.ts';
import { webhookUrls } from './webhook-urls.ts';

/** How long a started payment holds off suspension when nothing is heard (a lost callback). */
const HOLD_MINUTES: Record<GatewayKind, number> = { mpesa: 15, stripe: 60, paypal: 60 };

export const attemptSource = (attemptId: string) => `attempt:${attemptId}`;

const maskPhone = (p: string) => p.replace(/\D/g, '').replace(/^(\d{6})\d+(\d{3})$/, '$1***$2');

export interface StartFromLink {
  token: string;
  gateway: GatewayKind;
  phone?: string;
}

export async function startFromLink(deps: PaymentDeps, req: StartFromLink) {
  const { db } = deps.app;
  const link = await openPayLink(db, req.token);
  if (!link) throw notFound('PAYLINK.NOT_FOUND', 'This payment link is not valid or has expired');
  if (link.dueMinor <= 0n) throw conflict('PAYLINK.NOTHING_DUE', 'There is nothing to pay');
  if (req.gateway === 'mpesa') await refuseWhilePushWaits(db, link.id);
  const tg = await openGateway(deps, db, link.tenantId, req.gateway);
  if (!tg.row.enabled) throw notFound('PAYMENT.GATEWAY_NOT_SET', 'This payment method is not offered');
  const charged = tg.gateway.toProviderAmount(money(link.dueMinor, link.currency));
  const [attempt] = await db
    .insert(paymentAttempts)
    .values({
      tenantId: link.tenantId,
      subscriberId: link.subscriberId,
      invoiceId: link.invoiceId,
      planId: link.planId,
      payLinkId: link.id,
      gateway: req.gateway,
      amountMinor: link.dueMinor,
      chargedMinor: charged.chargedMinor,
      currency: link.currency,
      phoneMasked: req.phone ? maskPhone(req.phone) : null,
    })
    .returning();
  if (!attempt) throw new Error('attempt insert returned nothing');
  const linkUrl = payLinkUrl(deps, req.token);
  const urls = webhookUrls(publicBase(deps), req.gateway, tg.hookToken);
  try {
    const started = await tg.gateway.startPayment({
      attemptId: attempt.id,
      amount: money(charged.chargedMinor, link.currency),
      description: `${link.brand} ${link.label}`,
      accountReference: link.username,
      ...(req.phone !== undefined && { phone: req.phone }),
      ...('stkCallback' in urls && { callbackUrl: urls.stkCallback }),
      returnUrl: `${linkUrl}/a/${attempt.id}`,
      cancelUrl: linkUrl,
    });
    await markStarted(deps, attempt.id, link.tenantId, link.subscriberId, req.gateway, started.providerRef);
    return { attemptId: attempt.id, started };
  } catch (e) {
    await db
      .update(paymentAttempts)
      .set({
        status: 'failed',
        reason: isDomainError(e) ? e.message : 'The payment could not be started',
        resultCode: isDomainError(e) ? e.code : null,
        updatedAt: new Date(),
      })
      .where(eq(paymentAttempts.id, attempt.id));
    throw e;
  }
}

/** An STK prompt lives about a minute; M-Pesa itself refuses a second one meanwhile (500.001.1001). */
const PUSH_WAIT_MS = 90_000;

/**
 * One waiting push per link: a buyer pressing again (or someone who has the link spamming
 * phones) is told to finish the prompt first, not sent another.
 */
async function refuseWhilePushWaits(db: Executor, payLinkId: string) {
  const [waiting] = await db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.payLinkId, payLinkId),
        eq(paymentAttempts.gateway, 'mpesa'),
        inArray(paymentAttempts.status, ['created', 'pending']),
        gt(paymentAttempts.createdAt, new Date(Date.now() - PUSH_WAIT_MS)),
      ),
    )
    .limit(1);
  if (waiting) {
    throw conflict(
      'PAYMENT.PUSH_WAITING',
      'An M-Pesa prompt was just sent. Answer it on your phone, or wait a minute and try again.',
    );
  }
}

async function markStarted(
  deps: PaymentDeps,
  attemptId: string,
  tenantId: string,
  subscriberId: string | null,
  gateway: GatewayKind,
  providerRef: string,
) {
  await deps.app.db.transaction(async (tx) => {
    await tx
      .update(paymentAttempts)
      .set({ providerRef, status: 'pending', updatedAt: new Date() })
      .where(and(eq(paymentAttempts.id, attemptId), eq(paymentAttempts.status, 'created')));
    // Holds off dunning; a "buy plan" attempt has no subscriber to hold anything for.
    if (subscriberId)
      await tx
        .insert(pendingPayments)
        .values({
          tenantId,
          subscriberId,
          source: attemptSource(attemptId),
          expiresAt: new Date(Date.now() + HOLD_MINUTES[gateway] * 60_000),
        })
        .onConflictDoNothing();
    await enqueueEarlyEvents(deps, tx, tenantId, gateway, providerRef);
  });
}

/** A callback can beat the push's own answer: its inbox row waited unmatched; apply it now. */
async function enqueueEarlyEvents(
  deps: PaymentDeps,
  tx: Executor,
  tenantId: string,
  gateway: GatewayKind,
  ref: string,
) {
  const early = await tx
    .select({ id: paymentEvents.id })
    .from(paymentEvents)
    .where(
      and(
        eq(paymentEvents.tenantId, tenantId),
        eq(paymentEvents.gateway, gateway),
        eq(paymentEvents.providerRef, ref),
        isNull(paymentEvents.attemptId),
      ),
    );
  for (const e of early) {
    await deps.app.jobs.enqueue(tx, {
      kind: paymentApplyJob,
      data: { tenantId, eventId: e.id },
      dedupeKey: `${e.id}:matched`,
    });
  }
}

/** What the pay page shows about one attempt: only when it belongs to the link in the URL. */
export async function attemptForLink(db: Executor, token: string, attemptId: string) {
  const link = await openPayLinkRow(db, token);
  if (!link || !/^[0-9a-f-]{36}$/i.test(attemptId)) return null;
  const [a] = await db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.id, attemptId), eq(paymentAttempts.payLinkId, link)));
  return a ?? null;
}

async function openPayLinkRow(db: Executor, token: string): Promise<string | null> {
  const [row] = await db
    .select({ id: payLinks.id })
    .from(payLinks)
    .where(eq(payLinks.tokenHash, hashToken(token)));
  return row?.id ?? null;
}
