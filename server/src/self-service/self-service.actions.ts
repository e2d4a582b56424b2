// What a signed-in subscriber may do besides reading: open a pay link, buy a voucher code (a
// buy-plan pay link naming them), fetch an invoice PDF, preview and make a plan change. Each
// reuses the operator-side service with an actor that speaks for the subscriber; the
// subscriber id always comes from the session and an invoice is checked to be theirs before
// anything else, so no id from the browser widens the scope.
import { and, eq } from 'drizzle-orm';
import { invoices } from '@kasi/db';
import { notFound, type Role } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { invoicePdf } from '../billing/billing-pdf.service.ts';
import { createPayLink } from '../payments/pay-link.service.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { createPlanPayLink } from '../payments/plan-purchase.ts';
import { applyPlanChange, previewPlanChange } from '../plans/plan-change.service.ts';
import type { SubscriberSession } from './subscriber-session.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subscriber, as the services' actor: audit rows say `subscriber:<name> (self-service)`. */
function actingFor(s: SubscriberSession, role: Role, requestId: string): Actor {
  return {
    tenantId: s.tenantId,
    userId: null,
    label: `subscriber:${s.username} (self-service)`,
    role,
    requestId,
  };
}

async function ownInvoice(app: AppContext, s: SubscriberSession, id: string): Promise<void> {
  const [row] = UUID.test(id)
    ? await app.db
        .select({ id: invoices.id })
        .from(invoices)
        .where(
          and(
            eq(invoices.tenantId, s.tenantId),
            eq(invoices.id, id),
            eq(invoices.subscriberId, s.subscriberId),
          ),
        )
    : [];
  if (!row) throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
}

export async function payLinkFor(
  app: AppContext,
  s: SubscriberSession,
  invoiceId: string | null,
  requestId: string,
) {
  if (invoiceId) await ownInvoice(app, s, invoiceId);
  const made = await createPayLink(paymentDepsOf(app), actingFor(s, 'operator', requestId), {
    subscriberId: s.subscriberId,
    invoiceId,
  });
  // Same origin as /my: the page opens the path, whatever public URL the server was given.
  return { path: new URL(made.url).pathname };
}

/**
 * A buy-plan pay link for one code of a plan on sale (issue 14: buy a top-up or voucher from
 * /my). The link names the subscriber, so the code it buys is listed on /my once paid; the
 * plan rules (on sale, priced) are the buy-plan link's own.
 */
export async function buyPlanLink(app: AppContext, s: SubscriberSession, planId: string, requestId: string) {
  const made = await app.db.transaction((tx) =>
    createPlanPayLink(
      app,
      tx,
      { tenantId: s.tenantId, planId, subscriberId: s.subscriberId },
      actingFor(s, 'operator', requestId),
    ),
  );
  return { path: new URL(made.url).pathname };
}

export async function ownInvoicePdf(app: AppContext, s: SubscriberSession, id: string, requestId: string) {
  await ownInvoice(app, s, id);
  return invoicePdf(app, actingFor(s, 'viewer', requestId), id.toLowerCase());
}

const money = (p: Awaited<ReturnType<typeof previewPlanChange>>) => ({
  from: { id: p.from.id, name: p.from.name, priceMinor: p.from.priceMinor.toString() },
  to: { id: p.to.id, name: p.to.name, priceMinor: p.to.priceMinor.toString() },
  currency: p.currency,
  periodEnd: p.period?.end.toISOString() ?? null,
  netMinor: p.proration?.netMinor.toString() ?? '0',
  chargeMinor: p.proration?.chargeMinor.toString() ?? '0',
  creditMinor: p.proration?.creditMinor.toString() ?? '0',
});

export async function planChangePreview(
  app: AppContext,
  s: SubscriberSession,
  planId: string,
  requestId: string,
) {
  const p = await previewPlanChange(app, actingFor(s, 'viewer', requestId), {
    subscriberId: s.subscriberId,
    planId,
    when: 'now',
  });
  return money(p);
}

export async function planChange(app: AppContext, s: SubscriberSession, planId: string, requestId: string) {
  const done = await applyPlanChange(app, actingFor(s, 'operator', requestId), {
    subscriberId: s.subscriberId,
    planId,
    when: 'now',
  });
  return { ...money(done.preview), invoiceId: done.invoiceId, creditNoteId: done.creditNoteId };
}
