// The money side of the seeded tenant world: an open invoice with a payment on it and a pay
// link, a credit note and a write-off both waiting for a second person (the tenant's approval
// threshold is set low), a draft, and Stripe set up, all through the real services.
import type { Actor } from '../app-context.ts';
import { updateBillingSettings } from '../billing/billing-settings.service.ts';
import { createCreditNote } from '../billing/credit-note.service.ts';
import { createInvoiceDraft, finaliseInvoice } from '../billing/invoice.service.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { writeOffInvoice } from '../billing/write-off.service.ts';
import { setGateway } from '../payments/gateway-settings.service.ts';
import { createPayLink } from '../payments/pay-link.service.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import type { TestApp } from './test-app.ts';

export interface BillingIds {
  /** A pay link's URL carries its bearer token: nobody else may ever see it. */
  payLinkUrl: string;
  invoiceId: string;
  draftInvoiceId: string;
  paymentId: string;
  creditNoteId: string;
  writeOffId: string;
}

export async function seedBilling(
  t: TestApp,
  owner: Actor,
  subscriberId: string,
  marker: string,
  secrets: { stripeSecretKey: string; stripeWebhookSecret: string },
): Promise<BillingIds> {
  await updateBillingSettings(t.app, owner, { approvalThresholdMinor: 1n });
  const draft = (unitPriceMinor: bigint) =>
    createInvoiceDraft(t.app, owner, {
      subscriberId,
      lines: [{ kind: 'other', description: `${marker} line`, unitPriceMinor }],
    });
  const invoice = await finaliseInvoice(t.app, owner, (await draft(5000n)).id);
  const { payment } = await recordPayment(t.app, owner, {
    subscriberId,
    amountMinor: 1000n,
    currency: 'KES',
    method: 'cash',
    invoiceId: invoice.id,
  });
  const creditNote = await createCreditNote(t.app, owner, {
    invoiceId: invoice.id,
    amountMinor: 500n,
    reason: `${marker} goodwill`,
  });
  const deps = paymentDepsOf(t.app);
  const config = { secretKey: secrets.stripeSecretKey, webhookSecret: secrets.stripeWebhookSecret };
  await setGateway(deps, owner, { gateway: 'stripe', config });
  const payLink = await createPayLink(deps, owner, { subscriberId, invoiceId: invoice.id });
  const unpaid = await finaliseInvoice(t.app, owner, (await draft(3000n)).id);
  const writeOff = await writeOffInvoice(t.app, owner, { invoiceId: unpaid.id, reason: `${marker} gone` });
  if (creditNote.approval !== 'pending' || writeOff.approval !== 'pending') {
    throw new Error('expected the credit note and the write-off to wait for approval');
  }
  return {
    payLinkUrl: payLink.url,
    invoiceId: invoice.id,
    draftInvoiceId: (await draft(700n)).id,
    paymentId: payment.id,
    creditNoteId: creditNote.id,
    writeOffId: writeOff.id,
  };
}
