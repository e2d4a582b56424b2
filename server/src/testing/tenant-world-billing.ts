// The money side of the seeded tenant world: an open invoice with a payment on it, a credit
// note and a write-off both waiting for a second person (the tenant's approval threshold is
// set low), and a draft, all through the real billing services.
import type { Actor } from '../app-context.ts';
import { updateBillingSettings } from '../billing/billing-settings.service.ts';
import { createCreditNote } from '../billing/credit-note.service.ts';
import { createInvoiceDraft, finaliseInvoice } from '../billing/invoice.service.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { writeOffInvoice } from '../billing/write-off.service.ts';
import type { TestApp } from './test-app.ts';

export interface BillingIds {
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
  const unpaid = await finaliseInvoice(t.app, owner, (await draft(3000n)).id);
  const writeOff = await writeOffInvoice(t.app, owner, { invoiceId: unpaid.id, reason: `${marker} gone` });
  if (creditNote.approval !== 'pending' || writeOff.approval !== 'pending') {
    throw new Error('expected the credit note and the write-off to wait for approval');
  }
  return {
    invoiceId: invoice.id,
    draftInvoiceId: (await draft(700n)).id,
    paymentId: payment.id,
    creditNoteId: creditNote.id,
    writeOffId: writeOff.id,
  };
}
