// Voucher batches: generate codes for a plan, list them, void them. Codes are unique
// per tenant; a rare collision with an older code is simply drawn again.
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { voucherBatches, vouchers, writeAudit, type Transaction } from '@kasi/db';
import { generateVoucherCodes, notFound, voucherBatchInput, type VoucherBatchInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { getPlan } from '../plans/plan.service.ts';
import { auditActor } from '../audit/audit-actor.ts';

const CHUNK = 20_000;

async function insertCodes(tx: Transaction, batch: typeof voucherBatches.$inferSelect, codeCount: number) {
  let remaining = codeCount;
  while (remaining > 0) {
    const codes = generateVoucherCodes(Math.min(remaining, CHUNK), {
      length: batch.codeLength,
      prefix: batch.prefix,
    });
    // One array parameter instead of four per row: the statement stays small and cheap to build.
    const inserted = await tx.execute(sql`
      insert into vouchers (tenant_id, batch_id, plan_id, code)
      select ${batch.tenantId}, ${batch.id}, ${batch.planId}, code
      from jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) as code
      on conflict do nothing
      returning id`);
    remaining -= inserted.length;
  }
}

export async function createVoucherBatch(app: AppContext, actor: Actor, input: VoucherBatchInput) {
  requirePermission(actor, 'voucher.write');
  const values = voucherBatchInput.parse(input);
  const plan = await getPlan(app, actor, values.planId);
  return app.db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(voucherBatches)
      .values({
        tenantId: actor.tenantId,
        planId: plan.id,
        name: values.name ?? `${plan.name} × ${values.quantity}`,
        quantity: values.quantity,
        codeLength: values.codeLength,
        prefix: values.prefix,
        createdBy: actor.userId,
      })
      .returning();
    if (!batch) throw new Error('insert returned nothing');
    await insertCodes(tx, batch, values.quantity);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher_batch.create',
      entityType: 'voucher_batch',
      entityId: batch.id,
      after: batch,
    });
    return batch;
  });
}

export async function listVoucherBatches(app: AppContext, actor: Actor) {
  requirePermission(actor, 'voucher.read');
  return app.db
    .select({
      batch: voucherBatches,
      sold: sql<number>`count(*) filter (where ${vouchers.status} <> 'generated')`.mapWith(Number),
    })
    .from(voucherBatches)
    .leftJoin(vouchers, eq(vouchers.batchId, voucherBatches.id))
    .where(eq(voucherBatches.tenantId, actor.tenantId))
    .groupBy(voucherBatches.id)
    .orderBy(desc(voucherBatches.createdAt));
}

export async function listBatchVouchers(
  app: AppContext,
  actor: Actor,
  batchId: string,
  opts: { limit: number; offset: number },
) {
  requirePermission(actor, 'voucher.read');
  const where = and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.batchId, batchId));
  const [total] = await app.db.select({ n: count() }).from(vouchers).where(where);
  if (!total?.n) throw notFound('VOUCHER_BATCH.NOT_FOUND', 'No such voucher batch');
  const rows = await app.db
    .select({
      id: vouchers.id,
      code: vouchers.code,
      status: vouchers.status,
      locked: vouchers.locked,
      firstUsedAt: vouchers.firstUsedAt,
      expiresAt: vouchers.expiresAt,
    })
    .from(vouchers)
    .where(where)
    .orderBy(vouchers.createdAt, vouchers.code)
    .limit(opts.limit)
    .offset(opts.offset);
  return { total: total.n, rows };
}

export async function voidVouchers(app: AppContext, actor: Actor, ids: string[]) {
  requirePermission(actor, 'voucher.write');
  return app.db.transaction(async (tx) => {
    const changed = await tx
      .update(vouchers)
      .set({ status: 'void' })
      .where(and(eq(vouchers.tenantId, actor.tenantId), inArray(vouchers.id, ids)))
      .returning({ id: vouchers.id, code: vouchers.code });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher.void',
      entityType: 'voucher',
      after: { ids: changed.map((v) => v.id) },
    });
    return changed.length;
  });
}
