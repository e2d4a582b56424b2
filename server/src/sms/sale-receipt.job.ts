// Job `sms.sale_receipt` (enqueued by a synced sale that carried the buyer's phone): texts
// the buyer the code, the plan it is on now and where to log in. Tenant-scoped through the
// job's tenant; a code voided before the text went out is not sent.
//
// The job's data names the sale and nothing else: the number and the code are read from the
// sale when the text is sent. So pg-boss's tables never hold a phone number or a code, at any
// point in a job's life; the job's output keeps only their masked forms, and the number itself
// stays on the sale until the retention purge forgets it (KASI_JOB_RETENTION_DAYS).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { plans, tenants, voucherSales, vouchers, type Database } from '@kasi/db';
import type { Logger } from '../logger.ts';
import { JobFailure, permanentFailure } from '../jobs/job-failure.ts';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { maskCode, maskPhone, toE164 } from './phone-number.ts';
import { saleReceiptText } from './receipt-text.ts';
import type { SmsSender } from './sms-sender.ts';

export const saleReceiptJob = defineJobKind({
  name: 'sms.sale_receipt',
  data: z.object({ tenantId: z.uuid(), saleId: z.uuid() }),
  queue: (s) => standardQueueRules(s),
});
export const SALE_RECEIPT_JOB = saleReceiptJob.name;

/** One receipt per sale, however often the push that made it is replayed. */
export const saleReceiptDedupeKey = (saleId: string) => saleId;

export interface SaleReceiptDeps {
  db: Database;
  log: Logger;
  sender: SmsSender;
  /** Completes national numbers (0712…); null accepts international ones only. */
  countryCode: string | null;
  hotspotUrl: string;
  statusCallbackUrl: ((jobId: string) => string) | null;
}

async function findSale(db: Database, tenantId: string, saleId: string) {
  const [row] = await db
    .select({
      code: voucherSales.code,
      buyerPhone: voucherSales.buyerPhone,
      status: vouchers.status,
      planName: plans.name,
      tenantName: tenants.name,
    })
    .from(voucherSales)
    .innerJoin(vouchers, eq(vouchers.id, voucherSales.voucherId))
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .innerJoin(tenants, eq(tenants.id, voucherSales.tenantId))
    .where(and(eq(voucherSales.tenantId, tenantId), eq(voucherSales.saleId, saleId)));
  return row;
}

/** What the operator may see of the receipt: the masked number (as sent, +E.164 where known) and code. */
function masked(code: string, phone: string | null, countryCode: string | null) {
  const raw = phone?.replace(/[\s().-]/g, '');
  return {
    codeMasked: maskCode(code),
    ...(raw && { phoneMasked: maskPhone(toE164(raw, countryCode) ?? raw) }),
  };
}

export function saleReceiptHandler(deps: SaleReceiptDeps): JobHandler {
  return defineJobHandler({
    kind: saleReceiptJob,
    async run(job) {
      const sale = await findSale(deps.db, job.data.tenantId, job.data.saleId);
      if (!sale) throw permanentFailure('The sale or its voucher no longer exists');
      const shown = masked(sale.code, sale.buyerPhone, deps.countryCode);
      if (!sale.buyerPhone)
        throw permanentFailure('The sale keeps no buyer number (forgotten or never given)', shown);
      const to = toE164(sale.buyerPhone, deps.countryCode);
      if (!to)
        throw permanentFailure(
          'Buyer number is not international (+…) and no SMS country code is set',
          shown,
        );
      if (sale.status === 'void') return { ...shown, skipped: 'voucher void before the receipt was sent' };
      const sent = await deps.sender
        .send({
          to,
          body: saleReceiptText({ ...sale, hotspotUrl: deps.hotspotUrl }),
          statusCallback: deps.statusCallbackUrl?.(job.id) ?? null,
        })
        .catch((e: unknown) => {
          throw e instanceof JobFailure
            ? new JobFailure(e.message, { permanent: e.permanent, detail: shown })
            : e;
        });
      deps.log.info(
        { job: job.id, to: shown.phoneMasked, code: shown.codeMasked, sid: sent.sid },
        'sale receipt sent',
      );
      return { ...shown, message: { sid: sent.sid, status: sent.status, sentAt: new Date().toISOString() } };
    },
  });
}
