// Print runs: the console's "Print A4" and "Print 58 mm" take stock codes of a batch onto
// paper as one named run (Run 1, Run 2… per batch), and the PDF of a run always shows the
// same codes, so a jammed printer is fixed by a reprint, never by printing other codes.
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { plans, tenants, users, voucherBatches, voucherPrintRuns, vouchers, writeAudit } from '@kasi/db';
import { DEFAULT_HOTSPOT_URL, notFound, printRunInput, type PrintRunInput } from '@kasi/domain';
import type { Actor, AppContext } from '../../app-context.ts';
import { requirePermission } from '../../authorize.ts';
import { auditActor } from '../../audit/audit-actor.ts';
import { drawStock } from '../voucher-stock.ts';
import { brandColour, brandLogo } from '../../settings/brand-logo.ts';
import { cardFace, cardSheet } from './voucher-card.ts';
import { renderVoucherPdf } from './voucher-pdf.ts';

/** The login address cards print when the run names none: the tenant's, the server's, Kasi's. */
async function tenantHotspotUrl(app: AppContext, tenantId: string): Promise<string> {
  const [t] = await app.db.select({ url: tenants.hotspotUrl }).from(tenants).where(eq(tenants.id, tenantId));
  return (t?.url ?? app.sms?.hotspotUrl ?? DEFAULT_HOTSPOT_URL).replace(/\/+$/, '');
}

/** Takes `count` stock codes of the batch into a new print run; nothing is drawn yet. */
export async function createPrintRun(app: AppContext, actor: Actor, input: PrintRunInput) {
  requirePermission(actor, 'voucher.write');
  const values = printRunInput.parse(input);
  const hotspotUrl = values.hotspotUrl ?? (await tenantHotspotUrl(app, actor.tenantId));
  return app.db.transaction(async (tx) => {
    // The batch row lock numbers runs without gaps or duplicates; leases never take it.
    const [batch] = await tx
      .select({ id: voucherBatches.id })
      .from(voucherBatches)
      .where(and(eq(voucherBatches.tenantId, actor.tenantId), eq(voucherBatches.id, values.batchId)))
      .for('update');
    if (!batch) throw notFound('VOUCHER_BATCH.NOT_FOUND', 'No such voucher batch');
    const [last] = await tx
      .select({ n: sql<number>`coalesce(max(${voucherPrintRuns.number}), 0)`.mapWith(Number) })
      .from(voucherPrintRuns)
      .where(eq(voucherPrintRuns.batchId, batch.id));
    const [run] = await tx
      .insert(voucherPrintRuns)
      .values({
        tenantId: actor.tenantId,
        batchId: batch.id,
        number: (last?.n ?? 0) + 1,
        layout: values.layout,
        options: { brand: values.brand || null, footer: values.footer, hotspotUrl },
        count: values.count,
        createdBy: actor.userId,
      })
      .returning();
    if (!run) throw new Error('insert returned nothing');
    await drawStock(tx, {
      tenantId: actor.tenantId,
      from: { batchId: batch.id },
      count: values.count,
      to: { channel: 'printed', printRunId: run.id },
    });
    // The codes are not copied into the audit log (kept for ever): the run id names them.
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher_print_run.create',
      entityType: 'voucher_print_run',
      entityId: run.id,
      after: run,
    });
    return run;
  });
}

/** A batch's print runs, newest first, with how many of each run's cards were used. */
export async function listPrintRuns(app: AppContext, actor: Actor, batchId: string) {
  requirePermission(actor, 'voucher.read');
  return app.db
    .select({
      run: voucherPrintRuns,
      printedBy: users.name,
      used: sql<number>`(select count(*) from ${vouchers} v
        where v.print_run_id = ${voucherPrintRuns.id} and v.first_used_at is not null)`.mapWith(Number),
    })
    .from(voucherPrintRuns)
    .leftJoin(users, eq(users.id, voucherPrintRuns.createdBy))
    .where(and(eq(voucherPrintRuns.tenantId, actor.tenantId), eq(voucherPrintRuns.batchId, batchId)))
    .orderBy(desc(voucherPrintRuns.number));
}

export interface PrintedRun {
  pdf: Buffer;
  fileName: string;
  cards: number;
}

async function findRun(app: AppContext, actor: Actor, runId: string) {
  const [row] = await app.db
    .select({
      run: voucherPrintRuns,
      batch: voucherBatches,
      plan: plans,
      tenantName: tenants.name,
      logo: tenants.logo,
      colour: tenants.brandColour,
    })
    .from(voucherPrintRuns)
    .innerJoin(voucherBatches, eq(voucherBatches.id, voucherPrintRuns.batchId))
    .innerJoin(plans, eq(plans.id, voucherBatches.planId))
    .innerJoin(tenants, eq(tenants.id, voucherPrintRuns.tenantId))
    .where(and(eq(voucherPrintRuns.tenantId, actor.tenantId), eq(voucherPrintRuns.id, runId)))
    .limit(1);
  if (!row) throw notFound('VOUCHER_PRINT_RUN.NOT_FOUND', 'No such print run');
  return row;
}

/**
 * The run's PDF: its codes in the order they were drawn, less any voided since (a void card
 * would only confuse a buyer). A reprint is counted and audited like the first print.
 */
export async function renderPrintRun(
  app: AppContext,
  actor: Actor,
  input: { runId: string; reprint: boolean; compress?: boolean },
): Promise<PrintedRun> {
  requirePermission(actor, 'voucher.write');
  const { run, batch, plan, tenantName, logo, colour } = await findRun(app, actor, input.runId);
  const look = { logo: await brandLogo(logo), colour: brandColour(colour) };
  const rows = await app.db
    .select({ code: vouchers.code })
    .from(vouchers)
    .where(
      and(
        eq(vouchers.tenantId, actor.tenantId),
        eq(vouchers.printRunId, run.id),
        ne(vouchers.status, 'void'),
      ),
    )
    .orderBy(asc(vouchers.createdAt), asc(vouchers.code));
  const { options } = run;
  const pdf = await renderVoucherPdf({
    layout: run.layout,
    sheet: cardSheet(tenantName, plan, options, look),
    faces: rows.map((r) => cardFace(r.code, options.hotspotUrl)),
    title: `${batch.name} · run ${run.number}`,
    compress: input.compress,
  });
  await app.db.transaction(async (tx) => {
    await tx
      .update(voucherPrintRuns)
      .set({
        lastPrintedAt: new Date(),
        reprints: input.reprint ? sql`${voucherPrintRuns.reprints} + 1` : voucherPrintRuns.reprints,
      })
      .where(eq(voucherPrintRuns.id, run.id));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: input.reprint ? 'voucher_print_run.reprint' : 'voucher_print_run.print',
      entityType: 'voucher_print_run',
      entityId: run.id,
      after: { layout: run.layout, cards: rows.length, hotspotUrl: options.hotspotUrl },
    });
  });
  return {
    pdf,
    fileName: `vouchers-${batch.id}-run${run.number}-${run.layout}.pdf`,
    cards: rows.length,
  };
}
