// Write-offs: giving up what is still due on an invoice (bad debt). The ledger gets a
// write_off entry and the invoice is settled by it. Above the tenant's threshold it waits
// for a second person's approval, like a credit note.
import { and, eq } from 'drizzle-orm';
import { invoices, writeAudit, writeOffs } from '@kasi/db';
import { conflict, notFound, writeOffInput, type WriteOffInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { decidedApproval, decidePending, type Decision } from './approval-decision.ts';
import { withSubscriberMoney, type MoneyContext } from './billing-tx.ts';
import { appendLedger } from './ledger.ts';
import { allocate } from './settle.ts';
import { requestApproval } from './second-person.ts';

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
        const approval = await requestApproval(tx, { tenantId: m.tenantId, amountMinor: due, actor });
        const [w] = await tx
          .insert(writeOffs)
          .values({
            tenantId: m.tenantId,
            subscriberId: m.subscriberId,
            invoiceId: inv.id,
            amountMinor: due,
            reason: v.reason,
            ...approval,
          })
          .returning();
        if (!w) throw new Error('write-off insert returned nothing');
        if (approval.approval === 'none') await applyWriteOff(m, w);
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

export function decideWriteOff(app: AppContext, actor: Actor, id: string, decision: Decision) {
  return decidePending(app, actor, {
    decision,
    action: 'write_off',
    entityType: 'write_off',
    id,
    async find(tx) {
      const [head] = await tx
        .select()
        .from(writeOffs)
        .where(and(eq(writeOffs.tenantId, actor.tenantId), eq(writeOffs.id, id)));
      if (!head) throw notFound('WRITE_OFF.NOT_FOUND', 'No such write-off');
      return head;
    },
    async decide(m) {
      const [moved] = await m.tx
        .update(writeOffs)
        .set({ approval: decidedApproval(decision), approvedBy: actor.userId, decidedAt: new Date() })
        .where(and(eq(writeOffs.id, id), eq(writeOffs.approval, 'pending')))
        .returning();
      if (!moved) throw conflict('WRITE_OFF.NOT_PENDING', 'That write-off is not waiting for approval');
      if (decision === 'approve') await applyWriteOff(m, moved);
      return moved;
    },
    cause: (w) => (w.approval === 'approved' ? w.id : null),
    audited: (w) => w,
  });
}
