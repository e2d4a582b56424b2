// The suspense queue: M-Pesa Paybill (C2B) payments whose account reference matched no
// subscriber or invoice. They wait in the inbox (outcome `suspense`) until an operator says
// whose they are; matching records the payment once (source `mpesa:<TransID>`) and is audited.
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { paymentEvents, writeAudit } from '@kasi/db';
import { conflict, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { openGateway } from './gateway-factory.ts';
import type { PaymentDeps } from './payment-deps.ts';

export const matchSuspenseInput = z.object({
  eventId: z.uuid(),
  subscriberId: z.uuid(),
  invoiceId: z.uuid().nullable().default(null),
});

export async function listSuspense(deps: PaymentDeps, actor: Actor) {
  requirePermission(actor, 'billing.read');
  const { db } = deps.app;
  const rows = await db
    .select()
    .from(paymentEvents)
    .where(and(eq(paymentEvents.tenantId, actor.tenantId), eq(paymentEvents.outcome, 'suspense')))
    .orderBy(desc(paymentEvents.receivedAt))
    .limit(500);
  if (rows.length === 0) return [];
  const tg = await openGateway(deps, db, actor.tenantId, 'mpesa');
  return rows.flatMap((r) => {
    const e = tg.gateway.normalise(Buffer.from(r.rawBody, 'utf8'))[0];
    if (!e) return [];
    return [
      {
        eventId: r.id,
        transactionId: e.providerRef,
        amountMinor: e.amountMinor,
        currency: e.currency,
        accountReference: e.accountReference ?? null,
        receivedAt: r.receivedAt,
      },
    ];
  });
}

async function loadSuspended(app: AppContext, tenantId: string, eventId: string) {
  const [ev] = await app.db
    .select()
    .from(paymentEvents)
    .where(and(eq(paymentEvents.tenantId, tenantId), eq(paymentEvents.id, eventId)));
  if (!ev) throw notFound('PAYMENT.EVENT_NOT_FOUND', 'No such payment in suspense');
  if (ev.outcome !== 'suspense')
    throw conflict('PAYMENT.NOT_IN_SUSPENSE', 'This payment is not waiting to be matched');
  return ev;
}

export async function matchSuspense(
  deps: PaymentDeps,
  actor: Actor,
  input: z.input<typeof matchSuspenseInput>,
) {
  requirePermission(actor, 'billing.write');
  const v = matchSuspenseInput.parse(input);
  const ev = await loadSuspended(deps.app, actor.tenantId, v.eventId);
  const tg = await openGateway(deps, deps.app.db, actor.tenantId, ev.gateway);
  const e = tg.gateway.normalise(Buffer.from(ev.rawBody, 'utf8'))[0];
  if (!e?.amountMinor || !e.currency)
    throw conflict('PAYMENT.NOT_IN_SUSPENSE', 'This event carries no payment');
  const recorded = await recordPayment(deps.app, actor, {
    subscriberId: v.subscriberId,
    amountMinor: e.amountMinor,
    currency: e.currency,
    method: 'mpesa',
    invoiceId: v.invoiceId,
    reference: e.receipt,
    sourceId: `mpesa:${e.providerRef}`,
  });
  await deps.app.db.transaction(async (tx) => {
    await tx
      .update(paymentEvents)
      .set({ outcome: 'applied', appliedAt: new Date() })
      .where(and(eq(paymentEvents.id, ev.id), eq(paymentEvents.outcome, 'suspense')));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'payment.suspense.match',
      entityType: 'payment_event',
      entityId: ev.id,
      after: { subscriberId: v.subscriberId, invoiceId: v.invoiceId, paymentId: recorded.payment.id },
    });
  });
  return { paymentId: recorded.payment.id, created: recorded.created };
}
