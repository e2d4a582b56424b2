// Write-offs: giving up what is still due on an invoice (bad debt). The ledger gets a
// write_off entry and the invoice is settled by it. Above the tenant's threshold it waits
// for a second person's approval, like a credit note.
import { and, eq } from 'drizzle-orm';
import { invoices, writeAudit, writeOffs } from '@kasi/db';
import { conflict, notFound, writeOffInput, type WriteOffInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney, type MoneyContext } from './billing-tx.ts';
import { appendLedger } from './ledger.ts';
import { allocate } from './settle.ts';
import { needsSecondPerson, requireSecondPerson } from './second-person.ts';

type WriteOffRow = typeof writeOffs.$inferSelect;

async function applyWriteOff(m: MoneyContext, w: WriteOffRow): Promise<void> {
  const [inv] = await m.tx.select().from(invoices).where(eq(invoices.id, w.invoiceId)).for('update');
  const due = inv ? inv.totalMinor - inv.allocatedMinor : 0n;
  if (!inv || inv.status === 'void' || due < w.amountMinor) {
    throw conflict('WRITE_OFF.STALE', 'The invoice changed since the write-off was requested', {
      field: 'invoiceId',
    });
  }
  await appendLedger(m.tx, {
    tenantId: m.tenantId,
    subscriberId: m.subscriberId,
    kind: 'write_off',
    sourceType: 'write_off',
    sourceId: w.id,
    amountMinor: -w.amountMinor,
    currency: inv.currency,
  });
  await allocate(m.tx, { ...m, sourceType: 'write_off', sourceId: w.id }, [
    { invoiceId: inv.id, amountMinor: w.amountMinor },
  ]);
}

export async function writeOffInvoice(
  app: AppContext,
  actor: Actor,
  input: WriteOffInput,
): Promise<WriteOffRow> {
  requirePermission(actor, 'billing.write');
  const v = writeOffInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [inv] = await tx
      .select()
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, actor.tenantId),
          eq(invoices.id, v.invoiceId),
          eq(invoices.kind, 'invoice'),
        ),
      );
    if (!inv) throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
    const row = await withSubscriberMoney(
      tx,
      actor.tenantId,
      inv.subscriberId,
      async (m) => {
        const [fresh] = await tx.select().from(invoices).where(eq(invoices.id, inv.id));
        const due = fresh ? fresh.totalMinor - fresh.allocatedMinor : 0n;
        if (!fresh || !['open', 'partially_paid'].includes(fresh.status) || due <= 0n) {
          throw conflict(
            'WRITE_OFF.NOTHING_DUE',
            'Only an open invoice with something due can be written off',
            {
              field: 'invoiceId',
            },
          );
        }
        const settings = await loadBillingSettings(tx, m.tenantId);
        const pending = needsSecondPerson(due, settings.approvalThresholdMinor);
        const [w] = await tx
          .insert(writeOffs)
          .values({
            tenantId: m.tenantId,
            subscriberId: m.subscriberId,
            invoiceId: inv.id,
            amountMinor: due,
            reason: v.reason,
            approval: pending ? 'pending' : 'none',
            requestedBy: actor.userId,
          })
          .returning();
        if (!w) throw new Error('write-off insert returned nothing');
        if (!pending) await applyWriteOff(m, w);
        return w;
      },
      (w) => (w.approval === 'pending' ? null : w.id),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: row.approval === 'pending' ? 'write_off.request' : 'write_off.apply',
      entityType: 'write_off',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function decideWriteOff(
  app: AppContext,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
) {
  requirePermission(actor, 'change.approve');
  return app.db.transaction(async (tx) => {
    const [head] = await tx
      .select()
      .from(writeOffs)
      .where(and(eq(writeOffs.tenantId, actor.tenantId), eq(writeOffs.id, id)));
    if (!head) throw notFound('WRITE_OFF.NOT_FOUND', 'No such write-off');
    requireSecondPerson(actor, head.requestedBy);
    const row = await withSubscriberMoney(
      tx,
      actor.tenantId,
      head.subscriberId,
      async (m) => {
        const [moved] = await tx
          .update(writeOffs)
          .set({
            approval: decision === 'approve' ? 'approved' : 'rejected',
            approvedBy: actor.userId,
            decidedAt: new Date(),
          })
          .where(and(eq(writeOffs.id, id), eq(writeOffs.approval, 'pending')))
          .returning();
        if (!moved) throw conflict('WRITE_OFF.NOT_PENDING', 'That write-off is not waiting for approval');
        if (decision === 'approve') await applyWriteOff(m, moved);
        return moved;
      },
      (w) => (w.approval === 'approved' ? w.id : null),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `write_off.${decision}`,
      entityType: 'write_off',
      entityId: id,
      after: row,
    });
    return row;
  });
}
