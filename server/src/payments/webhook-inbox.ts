// Provider events in, exactly once: verify (the adapter, pure) → one inbox row per provider
// event id (`ON CONFLICT DO NOTHING`) → if new, a `payment.apply` job in the same transaction
// → answer. Nothing else happens before the answer, so providers get their 2xx fast; a
// replay finds its row and enqueues nothing.
import { paymentEvents, type GatewayKind } from '@kasi/db';
import type { Acknowledgement, IncomingWebhook, PaymentGateway, WebhookVerdict } from '@kasi/payments';
import type { PaymentDeps } from './payment-deps.ts';
import { paymentApplyJob } from './payment-apply.job.ts';

export interface InboxResult {
  verdict: WebhookVerdict;
  stored: number;
  ack: Acknowledgement;
}

export async function receiveWebhook(
  deps: PaymentDeps,
  target: { tenantId: string; gateway: GatewayKind; adapter: PaymentGateway },
  hook: IncomingWebhook,
): Promise<InboxResult> {
  // Pure for Stripe and M-Pesa; PayPal's is a call to PayPal (ADR 0021): await only then.
  const checked = target.adapter.verifyWebhook(hook);
  const verdict = checked instanceof Promise ? await checked : checked;
  const ack = target.adapter.acknowledge(verdict);
  if (!verdict.ok) return { verdict, stored: 0, ack };
  const raw = hook.rawBody.toString('utf8');
  const stored = await deps.app.db.transaction(async (tx) => {
    let n = 0;
    for (const e of verdict.events) {
      const [row] = await tx
        .insert(paymentEvents)
        .values({
          tenantId: target.tenantId,
          gateway: target.gateway,
          scope: target.tenantId,
          providerEventId: e.eventId,
          type: e.type,
          providerRef: e.providerRef || null,
          rawBody: raw,
        })
        .onConflictDoNothing({
          target: [paymentEvents.gateway, paymentEvents.scope, paymentEvents.providerEventId],
        })
        .returning({ id: paymentEvents.id });
      if (!row) continue;
      n++;
      await deps.app.jobs.enqueue(tx, {
        kind: paymentApplyJob,
        data: { tenantId: target.tenantId, eventId: row.id },
        dedupeKey: row.id,
      });
    }
    return n;
  });
  // After the commit: the apply job's workers fetch now, not at their next poll (ADR 0020).
  if (stored > 0) deps.app.jobs.wake(paymentApplyJob);
  return { verdict, stored, ack };
}
