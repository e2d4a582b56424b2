// Job `sms.sale_receipt` (enqueued by a synced sale that carried the buyer's phone): texts
// the buyer the code, the plan it is on now and where to log in. Tenant-scoped through the
// job's tenant; a code voided before the text went out is not sent. Logs mask the number
// and the code, and once the job is finished (sent, skipped or given up) its row keeps only
// their masked forms: the runner swaps them in the statement that records the outcome.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { plans, tenants, vouchers, type Database } from '@kasi/db';
import type { Logger } from '../logger.ts';
import { permanentFailure } from '../jobs/job-failure.ts';
import type { PayloadRedaction } from '../jobs/job-queue.ts';
import type { JobHandler } from '../jobs/job-runner.ts';
import { maskCode, maskPhone, toE164 } from './phone-number.ts';
import { saleReceiptText } from './receipt-text.ts';
import type { SmsSender } from './sms-sender.ts';

export const SALE_RECEIPT_JOB = 'sms.sale_receipt';

const payloadSchema = z.object({ saleId: z.string(), code: z.string(), phone: z.string() });

export interface SaleReceiptDeps {
  db: Database;
  log: Logger;
  sender: SmsSender;
  /** Completes national numbers (0712…); null accepts international ones only. */
  countryCode: string | null;
  hotspotUrl: string;
  statusCallbackUrl: ((jobId: bigint) => string) | null;
}

async function findVoucher(db: Database, tenantId: string, code: string) {
  const [row] = await db
    .select({ status: vouchers.status, planName: plans.name, tenantName: tenants.name })
    .from(vouchers)
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .innerJoin(tenants, eq(tenants.id, vouchers.tenantId))
    .where(and(eq(vouchers.tenantId, tenantId), eq(vouchers.code, code)));
  return row;
}

/**
 * The buyer's number and the code are needed only to send the text. What stays for the
 * operator: the masked number (as sent, +E.164, where it can be known) and the code's start.
 */
export function redactSaleReceipt(payload: unknown, countryCode: string | null): PayloadRedaction {
  const p = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const add: Record<string, unknown> = {};
  if (typeof p['phone'] === 'string') {
    const raw = p['phone'].replace(/[\s().-]/g, '');
    add['phoneMasked'] = maskPhone(toE164(raw, countryCode) ?? raw);
  }
  if (typeof p['code'] === 'string') add['codeMasked'] = maskCode(p['code']);
  return { remove: ['phone', 'code'], add };
}

export function saleReceiptHandler(deps: SaleReceiptDeps): JobHandler {
  const send: JobHandler = async (job) => {
    const parsed = payloadSchema.safeParse(job.payload);
    if (!parsed.success) throw permanentFailure('Not a sale receipt payload');
    const { code, phone } = parsed.data;
    const to = toE164(phone, deps.countryCode);
    if (!to) throw permanentFailure('Buyer number is not international (+…) and no SMS country code is set');
    const voucher = await findVoucher(deps.db, job.tenantId, code);
    if (!voucher) throw permanentFailure('The sold voucher no longer exists');
    if (voucher.status === 'void') return { skipped: 'voucher void before the receipt was sent' };
    const sent = await deps.sender.send({
      to,
      body: saleReceiptText({ ...voucher, code, hotspotUrl: deps.hotspotUrl }),
      statusCallback: deps.statusCallbackUrl?.(job.id) ?? null,
    });
    deps.log.info(
      { job: job.id.toString(), to: maskPhone(to), code: maskCode(code), sid: sent.sid },
      'sale receipt sent',
    );
    return { message: { sid: sent.sid, status: sent.status, sentAt: new Date().toISOString() } };
  };
  return Object.assign(send, { redact: (payload: unknown) => redactSaleReceipt(payload, deps.countryCode) });
}
