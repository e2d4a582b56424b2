// Billing's job kinds (ADR 0009, 0016): the daily run per tenant (scheduled at the tenant's
// local hour), the payment reminder and the "invoice issued" text (through the SMS outbox), and the
// restore a cleared debt enqueues in the transaction of the ledger entry that cleared it.
import { z } from 'zod';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';

export const billingRunJob = defineJobKind({
  name: 'billing.run', // never renamed: jobs wait under this name
  data: z.object({ tenantId: z.uuid(), day: z.iso.date().optional() }),
  // 50,000 accounts take well under a minute; ten leave room for a slow disk.
  queue: (s) => standardQueueRules(s, { expireInSeconds: 600 }),
});

export const reminderJob = defineJobKind({
  name: 'billing.reminder',
  data: z.object({
    tenantId: z.uuid(),
    invoiceId: z.uuid(),
    subscriberId: z.uuid(),
    offset: z.number().int(),
    day: z.iso.date(),
  }),
  queue: (s) => standardQueueRules(s),
});

/**
 * The "invoice issued" texts with a pay link for the invoices one chunk of the billing run
 * issued, enqueued in that chunk's transaction: one job per chunk, not per invoice, so the run
 * for 50,000 subscribers adds 50 job rows, not 50,000. Each text is keyed per invoice (sent
 * once), so a retried job sends none twice. By hand, the text is queued in the finalising
 * transaction itself.
 */
export const INVOICE_SMS_PER_JOB = 1000;
export const invoiceIssuedSmsJob = defineJobKind({
  name: 'billing.invoice_issued_sms',
  data: z.object({ tenantId: z.uuid(), invoiceIds: z.array(z.uuid()).min(1).max(INVOICE_SMS_PER_JOB) }),
  queue: (s) => standardQueueRules(s),
});

export const restoreJob = defineJobKind({
  name: 'subscriber.restore',
  data: z.object({ tenantId: z.uuid(), subscriberId: z.uuid(), sourceId: z.uuid() }),
  // Disconnects wait up to 3 s per router (1 s, two retries): a minute is plenty. Workers wake
  // on the commit that enqueues it (NOTIFY), so a payment reaches the router in well under 2 s.
  queue: (s) => standardQueueRules(s, { expireInSeconds: 60, notify: true }),
});

export const billingJobKinds = [billingRunJob, reminderJob, invoiceIssuedSmsJob, restoreJob];
