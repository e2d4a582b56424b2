import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../app-context.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingWorld } from './billing.testing.ts';
import { updateBillingSettings } from './billing-settings.service.ts';
import { createCreditNote, decideCreditNote } from './credit-note.service.ts';
import { getInvoice } from './invoice.service.ts';
import { balanceOf } from './ledger.ts';
import { recordPayment } from './payment.service.ts';
import { unusedCredit } from './settle.ts';
import { decideWriteOff, writeOffInvoice } from './write-off.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function secondOperator(owner: Actor): Promise<Actor> {
  const email = `op-${randomBytes(3).toString('hex')}@kasi.test`;
  const user = await addMember(t.app.db, {
    tenantId: owner.tenantId,
    email,
    name: 'Second',
    password: 'another good password',
    role: 'operator',
  });
  return { ...owner, userId: user.id, label: email, role: 'operator' };
}

describe('credit notes and write-offs', () => {
  it('voids an invoice only by a full credit note; its payment becomes credit for the next invoice', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 1000n);
    await recordPayment(t.app, w.actor, {
      subscriberId: sub,
      amountMinor: 600n,
      currency: 'KES',
      method: 'cash',
    });
    const note = await createCreditNote(t.app, w.actor, { invoiceId: inv.id, reason: 'Wrong plan billed' });
    expect(note).toMatchObject({
      kind: 'credit_note',
      displayNumber: 'CN-000001',
      totalMinor: 1000n,
      creditNoteFor: inv.id,
    });
    const voided = await getInvoice(t.app, w.actor, inv.id);
    expect(voided).toMatchObject({ status: 'void', allocatedMinor: 1000n, creditedMinor: 1000n });
    expect(voided.creditNotes.map((c) => c.id)).toEqual([note.id]);
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(-600n);
    expect((await unusedCredit(t.app.db, w.actor.tenantId, sub)).map((c) => c.remainingMinor)).toEqual([
      600n,
    ]);
    const next = await w.invoice(sub, 500n);
    expect((await getInvoice(t.app, w.actor, next.id)).status).toBe('paid');
    await expect(
      createCreditNote(t.app, w.actor, { invoiceId: inv.id, reason: 'again' }),
    ).rejects.toMatchObject({
      code: 'INVOICE.VOID',
    });
  });

  it('a paid invoice credited in two parts: the void leaves exactly the payment as credit', async () => {
    // Found by the ledger property test: the last note once settled the whole void invoice alone.
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 2n);
    await recordPayment(t.app, w.actor, {
      subscriberId: sub,
      amountMinor: 2n,
      currency: 'KES',
      method: 'cash',
    });
    await createCreditNote(t.app, w.actor, { invoiceId: inv.id, amountMinor: 1n, reason: 'part' });
    const other = await w.invoice(sub, 5n);
    await createCreditNote(t.app, w.actor, { invoiceId: inv.id, reason: 'rest' });
    expect(await getInvoice(t.app, w.actor, inv.id)).toMatchObject({ status: 'void', allocatedMinor: 2n });
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(3n);
    expect(await getInvoice(t.app, w.actor, other.id)).toMatchObject({
      status: 'partially_paid',
      dueMinor: 3n,
    });
    expect(await unusedCredit(t.app.db, w.actor.tenantId, sub)).toEqual([]);
  });

  it('refuses a credit note larger than what is left to credit', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 1000n);
    await createCreditNote(t.app, w.actor, { invoiceId: inv.id, amountMinor: 700n, reason: 'Outage' });
    await expect(
      createCreditNote(t.app, w.actor, { invoiceId: inv.id, amountMinor: 301n, reason: 'Outage' }),
    ).rejects.toMatchObject({ code: 'CREDIT_NOTE.TOO_LARGE', details: { field: 'amountMinor' } });
    expect(await getInvoice(t.app, w.actor, inv.id)).toMatchObject({
      status: 'partially_paid',
      dueMinor: 300n,
    });
  });

  it('a credit note above the threshold waits for a second person; the requester cannot approve it', async () => {
    const w = await billingWorld(t);
    const second = await secondOperator(w.actor);
    await updateBillingSettings(t.app, w.actor, { approvalThresholdMinor: 500n });
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 2000n);
    const small = await createCreditNote(t.app, w.actor, {
      invoiceId: inv.id,
      amountMinor: 500n,
      reason: 'Goodwill',
    });
    expect(small.status).toBe('paid');
    const big = await createCreditNote(t.app, w.actor, {
      invoiceId: inv.id,
      amountMinor: 900n,
      reason: 'Outage',
    });
    expect(big).toMatchObject({ status: 'draft', approval: 'pending', number: null });
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(1500n);
    await expect(decideCreditNote(t.app, w.actor, big.id, 'approve')).rejects.toMatchObject({
      code: 'BILLING.SELF_APPROVAL',
    });
    const viewer = { ...second, role: 'viewer' as const };
    await expect(decideCreditNote(t.app, viewer, big.id, 'approve')).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    const approved = await decideCreditNote(t.app, second, big.id, 'approve');
    expect(approved).toMatchObject({ status: 'paid', approval: 'approved', displayNumber: 'CN-000002' });
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(600n);
    await expect(decideCreditNote(t.app, second, big.id, 'approve')).rejects.toMatchObject({
      code: 'CREDIT_NOTE.NOT_PENDING',
    });
  });

  it('writes off what is due, with the same approval rule, and clears the balance', async () => {
    const w = await billingWorld(t);
    const second = await secondOperator(w.actor);
    await updateBillingSettings(t.app, w.actor, { approvalThresholdMinor: 100n });
    const sub = await w.newSubscriber();
    const inv = await w.invoice(sub, 1000n);
    const wo = await writeOffInvoice(t.app, w.actor, { invoiceId: inv.id, reason: 'Moved away' });
    expect(wo).toMatchObject({ approval: 'pending', amountMinor: 1000n });
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(1000n);
    await decideWriteOff(t.app, second, wo.id, 'approve');
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(0n);
    expect((await getInvoice(t.app, w.actor, inv.id)).status).toBe('paid');
    await expect(
      writeOffInvoice(t.app, w.actor, { invoiceId: inv.id, reason: 'again' }),
    ).rejects.toMatchObject({
      code: 'WRITE_OFF.NOTHING_DUE',
    });
  });

  it('keeps the ledger append-only', async () => {
    const w = await billingWorld(t);
    const sub = await w.newSubscriber();
    await w.invoice(sub, 1000n);
    await expect(t.app.db.execute(`update ledger_entries set amount_minor = 0`)).rejects.toThrow();
    await expect(t.app.db.execute(`delete from ledger_entries`)).rejects.toThrow();
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(1000n);
  });
});
