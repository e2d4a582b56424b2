// Job `sms.sale_receipt` (enqueued by a synced sale that carried the buyer's phone): puts the
// buyer's receipt — the code, the plan it is on now and where to log in — in the SMS outbox,
// which sends it (or says why not). Tenant-scoped through the job's tenant; a code voided
// before the receipt was queued is not sent. Runs in every server process, configured or not:
// without SMS the receipt waits in the outbox, visible to the operator.
//
// The job's data names the sale and nothing else, so pg-boss's tables never hold a phone
// number or a code; the outbox row does, until the retention purge.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { plans, tenants, voucherSales, vouchers, type Database } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { permanentFailure } from '../jobs/job-failure.ts';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { maskCode } from './phone-number.ts';
import { saleReceiptVars } from './receipt-text.ts';
import { smsEnvOf } from './sms-env.ts';
import { queueSms } from './sms-outbox.ts';

export const saleReceiptJob = defineJobKind({
  name: 'sms.sale_receipt',
  data: z.object({ tenantId: z.uuid(), saleId: z.uuid() }),
  queue: (s) => standardQueueRules(s),
});

export const SALE_RECEIPT_JOB = saleReceiptJob.name;

/** One receipt per sale, however often the push that made it is replayed. */
export const saleReceiptDedupeKey = (saleId: string) => saleId;

async function findSale(db: Database, tenantId: string, saleId: string) {
  const [row] = await db
    .select({
      code: voucherSales.code,
      buyerPhone: voucherSales.buyerPhone,
      status: vouchers.status,
      planName: plans.name,
      tenantName: tenants.name,
      hotspotUrl: tenants.hotspotUrl,
    })
    .from(voucherSales)
    .innerJoin(vouchers, eq(vouchers.id, voucherSales.voucherId))
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .innerJoin(tenants, eq(tenants.id, voucherSales.tenantId))
    .where(and(eq(voucherSales.tenantId, tenantId), eq(voucherSales.saleId, saleId)));
  return row;
}

export function saleReceiptHandler(app: AppContext): JobHandler {
  return defineJobHandler({
    kind: saleReceiptJob,
    async run(job) {
      const { tenantId, saleId } = job.data;
      const sale = await findSale(app.db, tenantId, saleId);
      if (!sale) throw permanentFailure('The sale or its voucher no longer exists');
      const shown = { codeMasked: maskCode(sale.code) };
      if (!sale.buyerPhone)
        throw permanentFailure('The sale keeps no buyer number (forgotten or never given)', shown);
      if (sale.status === 'void') return { ...shown, skipped: 'voucher void before the receipt was sent' };
      const queued = await app.db.transaction((tx) =>
        queueSms(app, tx, {
          tenantId,
          to: sale.buyerPhone ?? '',
          event: 'sale_receipt',
          vars: saleReceiptVars({ ...sale, hotspotUrl: sale.hotspotUrl ?? smsEnvOf(app).hotspotUrl }),
          dedupeKey: `sale_receipt:${saleId}`,
        }),
      );
      return { ...shown, sms: queued };
    },
  });
}
