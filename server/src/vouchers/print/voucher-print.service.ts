// Printing a batch: load it within the actor's tenant, render the cards, audit who printed
// what. Only unsold, unleased codes are printed, so a reprint never duplicates a card
// that is already in a buyer's hand or on an agent's phone.
import { and, asc, eq } from 'drizzle-orm';
import { plans, tenants, voucherBatches, vouchers, writeAudit } from '@kasi/db';
import { conflict, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../../app-context.ts';
import { requirePermission } from '../../authorize.ts';
import { auditActor } from '../../audit/audit-actor.ts';
import type { PrintOptions } from './print-options.ts';
import { cardFace, cardSheet } from './voucher-card.ts';
import { renderVoucherPdf } from './voucher-pdf.ts';

async function findBatchForPrint(app: AppContext, actor: Actor, batchId: string) {
  const [row] = await app.db
    .select({ batch: voucherBatches, plan: plans, tenantName: tenants.name })
    .from(voucherBatches)
    .innerJoin(plans, eq(plans.id, voucherBatches.planId))
    .innerJoin(tenants, eq(tenants.id, voucherBatches.tenantId))
    .where(and(eq(voucherBatches.id, batchId), eq(voucherBatches.tenantId, actor.tenantId)))
    .limit(1);
  if (!row) throw notFound('VOUCHER_BATCH.NOT_FOUND', 'No such voucher batch');
  return row;
}

async function printableCodes(
  app: AppContext,
  actor: Actor,
  batchId: string,
  slice: { offset: number; limit: number },
): Promise<string[]> {
  const rows = await app.db
    .select({ code: vouchers.code })
    .from(vouchers)
    .where(
      and(
        eq(vouchers.tenantId, actor.tenantId),
        eq(vouchers.batchId, batchId),
        eq(vouchers.status, 'generated'),
        eq(vouchers.locked, false),
      ),
    )
    .orderBy(asc(vouchers.createdAt), asc(vouchers.code))
    .offset(slice.offset)
    .limit(slice.limit);
  return rows.map((r) => r.code);
}

export interface PrintedBatch {
  pdf: Buffer;
  fileName: string;
  cards: number;
}

export async function printVoucherBatch(
  app: AppContext,
  actor: Actor,
  input: { batchId: string; options: PrintOptions; compress?: boolean },
): Promise<PrintedBatch> {
  requirePermission(actor, 'voucher.read');
  const { batch, plan, tenantName } = await findBatchForPrint(app, actor, input.batchId);
  const codes = await printableCodes(app, actor, batch.id, input.options);
  if (codes.length === 0)
    throw conflict('VOUCHER_PRINT.NOTHING_TO_PRINT', 'No unsold codes left in this batch');
  const pdf = await renderVoucherPdf({
    layout: input.options.layout,
    sheet: cardSheet(tenantName, plan, input.options),
    faces: codes.map((code) => cardFace(code, input.options.hotspotUrl)),
    title: batch.name,
    compress: input.compress,
  });
  // Printed cards are as good as cash: who printed which batch, and where the QR codes point.
  // In a transaction: the audit hash chain is serialised by a transaction-scoped lock.
  await app.db.transaction((tx) =>
    writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher_batch.print',
      entityType: 'voucher_batch',
      entityId: batch.id,
      after: {
        layout: input.options.layout,
        offset: input.options.offset,
        cards: codes.length,
        hotspotUrl: input.options.hotspotUrl,
      },
    }),
  );
  return { pdf, fileName: `vouchers-${batch.id}-${input.options.layout}.pdf`, cards: codes.length };
}
