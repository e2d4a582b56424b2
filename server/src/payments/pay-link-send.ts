// "Send by SMS" for the console's pay link: the text goes through the SMS outbox (ADR 0022) with
// the invoice's "invoice issued" wording (an invoice link) or the reminder's (a balance link).
// The link shown on the page is reused: the console sends back the token it was shown, which
// is checked against the stored hash for this tenant, subscriber and invoice (the server never
// texts a URL it did not make); without one a new link is made. No phone number, or SMS not
// set up, is a clear refusal rather than a text that waits unseen; audited either way it goes.
import { and, eq, isNull } from 'drizzle-orm';
import { invoices, payLinks, subscribers, tenants, writeAudit } from '@kasi/db';
import { conflict, notFound } from '@kasi/domain';
import { z } from 'zod';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { localDay } from '../billing/billing-calendar.ts';
import { loadBillingSettings } from '../billing/billing-settings.service.ts';
import { moneyText } from '../billing/billing-sms.ts';
import { balanceOf } from '../billing/ledger.ts';
import { smsSetup } from '../sms/sms-config.ts';
import { maskPhone } from '../sms/phone-number.ts';
import { queueSms } from '../sms/sms-outbox.ts';
import { hashToken } from './gateway-factory.ts';
import { issuePayLink, PAY_PATH, payLinkUrl } from './pay-link.service.ts';
import type { PaymentDeps } from './payment-deps.ts';

export const sendPayLinkInput = z.object({
  subscriberId: z.uuid(),
  invoiceId: z.uuid().nullable().default(null),
  /** The link the console shows (its URL or bare token), to send that one again. */
  link: z.string().trim().max(300).optional(),
});

const tokenOf = (link: string) => (link.includes(PAY_PATH) ? (link.split(PAY_PATH).pop() ?? '') : link);

export async function sendPayLink(deps: PaymentDeps, actor: Actor, input: z.input<typeof sendPayLinkInput>) {
  requirePermission(actor, 'billing.write');
  const v = sendPayLinkInput.parse(input);
  const { app } = deps;
  return app.db.transaction(async (tx) => {
    const [sub] = await tx
      .select({
        id: subscribers.id,
        phone: subscribers.phone,
        fullName: subscribers.fullName,
        username: subscribers.username,
      })
      .from(subscribers)
      .where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, v.subscriberId)));
    if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
    if (!sub.phone?.trim()) {
      throw conflict(
        'PAYLINK.NO_PHONE',
        `${sub.username} has no phone number: add one, or copy the link instead`,
        {
          field: 'phone',
        },
      );
    }
    const setup = await smsSetup(app, tx, actor.tenantId);
    if (setup.waitReason) {
      throw conflict(
        'PAYLINK.SMS_NOT_READY',
        `${setup.waitReason}: set SMS up under SMS → Settings, or copy the link instead`,
      );
    }

    let vars: Record<string, string>;
    if (v.invoiceId) {
      const [inv] = await tx
        .select()
        .from(invoices)
        .where(
          and(
            eq(invoices.tenantId, actor.tenantId),
            eq(invoices.id, v.invoiceId),
            eq(invoices.subscriberId, v.subscriberId),
          ),
        );
      if (!inv || inv.kind !== 'invoice') throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
      if (inv.status === 'draft' || inv.status === 'void') {
        throw conflict('PAYLINK.INVOICE_NOT_OPEN', 'Only a finalised, unvoided invoice can be paid by link', {
          field: 'invoiceId',
        });
      }
      const tz = (await loadBillingSettings(tx, actor.tenantId)).effectiveTimezone;
      vars = {
        invoice: inv.displayNumber ?? '',
        amount: moneyText(inv.totalMinor - inv.allocatedMinor, inv.currency),
        due_date: inv.dueAt ? localDay(inv.dueAt, tz) : '',
      };
    } else {
      const [tenant] = await tx
        .select({ currency: tenants.currency })
        .from(tenants)
        .where(eq(tenants.id, actor.tenantId));
      const tz = (await loadBillingSettings(tx, actor.tenantId)).effectiveTimezone;
      const owed = await balanceOf(tx, actor.tenantId, v.subscriberId);
      vars = {
        amount: moneyText(owed > 0n ? owed : 0n, tenant?.currency ?? 'KES'),
        due_date: localDay(new Date(), tz),
      };
    }

    let url: string;
    let linkId: string;
    if (v.link) {
      const token = tokenOf(v.link);
      const [known] = /^[\w-]{16,64}$/.test(token)
        ? await tx
            .select({ id: payLinks.id })
            .from(payLinks)
            .where(
              and(
                eq(payLinks.tenantId, actor.tenantId),
                eq(payLinks.tokenHash, hashToken(token)),
                eq(payLinks.subscriberId, v.subscriberId),
                v.invoiceId ? eq(payLinks.invoiceId, v.invoiceId) : isNull(payLinks.invoiceId),
                isNull(payLinks.revokedAt),
              ),
            )
        : [];
      if (!known) throw notFound('PAYLINK.NOT_FOUND', 'That pay link is not this account’s: make a new one');
      url = payLinkUrl(deps, token);
      linkId = known.id;
    } else {
      const made = await issuePayLink(deps, tx, actor, {
        subscriberId: v.subscriberId,
        invoiceId: v.invoiceId,
      });
      url = made.url;
      linkId = made.id;
    }

    const sms = await queueSms(app, tx, {
      tenantId: actor.tenantId,
      to: sub.phone,
      event: v.invoiceId ? 'invoice_issued' : 'reminder',
      vars: { name: sub.fullName ?? sub.username, ...vars, pay_link: url },
      subscriberId: v.subscriberId,
    });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'payment.link.sms',
      entityType: 'pay_link',
      entityId: linkId,
      after: { subscriberId: v.subscriberId, invoiceId: v.invoiceId, smsId: sms.id, status: sms.status },
    });
    return {
      url,
      sms: { id: sms.id, status: sms.status, reason: sms.reason ?? null, to: maskPhone(sub.phone) },
    };
  });
}
