// Pushes applied a transaction per chunk with a savepoint per op: what one op does never
// costs the others, answers stay in seq order, and a failure leaves nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import {
  agentDevices,
  agentLedger,
  auditLog,
  syncConflicts,
  verifyAuditChain,
  voucherSales,
  vouchers,
} from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld, signOp, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from './sync.service.ts';
import { OPS_PER_TRANSACTION } from './push-batch.ts';
import { tenantJobs } from '../jobs/job.testing.ts';
import { SALE_RECEIPT_JOB } from '../sms/sale-receipt.job.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const push = (actor: AgentWorld['agentActor'], deviceId: string, ops: Parameters<typeof pushOps>[2]['ops']) =>
  pushOps(t.app, actor, { deviceId, ops }).then((r) => r.results);

async function counts(tenantId: string) {
  const n = async (table: typeof voucherSales | typeof agentLedger | typeof syncConflicts) =>
    (await t.app.db.select({ n: count() }).from(table).where(eq(table.tenantId, tenantId)))[0]?.n;
  const [sold] = await t.app.db
    .select({ n: count() })
    .from(vouchers)
    .where(and(eq(vouchers.tenantId, tenantId), eq(vouchers.status, 'sold')));
  const jobs = (await tenantJobs(t.app, SALE_RECEIPT_JOB, tenantId)).length;
  return { sales: await n(voucherSales), ledger: await n(agentLedger), jobs, sold: sold?.n };
}

const lastSeq = async (deviceId: string) =>
  (await t.app.db.select().from(agentDevices).where(eq(agentDevices.id, deviceId)))[0]?.lastSeq;

/** A trigger that fails inserts matching `when`: an unexpected error at a chosen point. */
async function failInserts(table: string, when: string) {
  await t.app.db.execute(
    sql.raw(`
    create or replace function fail_insert() returns trigger language plpgsql as
      $$ begin raise exception 'injected failure'; end $$;
    create trigger fail_insert before insert on ${table} for each row when (${when})
      execute function fail_insert();`),
  );
  return () => t.app.db.execute(sql.raw(`drop trigger fail_insert on ${table}`));
}

describe('batched push', () => {
  it('applies every op around a rejected one in the middle, answering in seq order', async () => {
    const w = await newAgentWorld(t, { codes: 80, commissionBps: 500 });
    const codes = await w.lease(w.device, 70);
    const middle = 35;
    // More ops than one transaction takes: the push spans chunks.
    const ops = await Promise.all(
      codes.map((code, i) =>
        w.device.sale(i === middle ? 'ABCDEFGH2' : code, i + 1, {
          buyerPhone: i % 10 === 0 ? '+254700000009' : null,
        }),
      ),
    );
    expect(ops.length).toBeGreaterThan(OPS_PER_TRANSACTION);
    // Sent shuffled: answers come back in seq order all the same.
    const results = await push(w.agentActor, w.device.id, [...ops].reverse());
    expect(results.map((r) => r.seq)).toEqual(ops.map((o) => o.seq));
    expect(results.map((r) => r.saleId)).toEqual(ops.map((o) => o.saleId));
    expect(results.filter((r) => r.result === 'applied')).toHaveLength(69);
    expect(results[middle]).toMatchObject({ result: 'rejected', reason: 'unknown_code' });
    expect(await counts(w.operator.tenantId)).toEqual({ sales: 69, ledger: 138, jobs: 7, sold: 69 });
    expect(await lastSeq(w.device.id)).toBe(70);
    const conflicts = await t.app.db
      .select()
      .from(syncConflicts)
      .where(eq(syncConflicts.deviceId, w.device.id));
    expect(conflicts.map((c) => [c.seq, c.reason])).toEqual([[middle + 1, 'unknown_code']]);
  });

  it('keeps the audit chain valid after batched pushes from many devices at once', async () => {
    const w = await newAgentWorld(t, { codes: 120 });
    const devices = [w.device, ...(await Promise.all([1, 2, 3].map(() => w.newDevice(w.agentActor))))];
    const pushes = await Promise.all(
      devices.map(async (d) => {
        const codes = await w.lease(d, 25);
        // Each device also tries a code leased elsewhere: rejected, audited.
        return Promise.all([...codes, 'ABCDEFGH2'].map((c, i) => d.sale(c, i + 1)));
      }),
    );
    const answered = await Promise.all(devices.map((d, i) => push(w.agentActor, d.id, pushes[i] ?? [])));
    expect(answered.flat().filter((r) => r.result === 'applied')).toHaveLength(100);
    expect(await verifyAuditChain(t.app.db, w.operator.tenantId)).toBeNull();
  });

  it('leaves nothing of a chunk that fails while being written, and applies it whole on retry', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 5);
    const ops = await Promise.all(codes.map((c, i) => w.device.sale(c, i + 1, { buyerPhone: '0700000003' })));
    const before = await counts(w.operator.tenantId);
    // The receipt jobs are written last, after every op was applied in its savepoint.
    const { table } = (await (await t.app.jobs.boss()).getQueue(SALE_RECEIPT_JOB)) ?? { table: '' };
    const heal = await failInserts(`pgboss.${table}`, `new.name = '${SALE_RECEIPT_JOB}'`);
    await expect(push(w.agentActor, w.device.id, ops)).rejects.toThrow();
    await heal();
    expect(await counts(w.operator.tenantId)).toEqual(before);
    expect(await lastSeq(w.device.id)).toBe(0);
    const retried = await push(w.agentActor, w.device.id, ops);
    expect(retried.map((r) => r.result)).toEqual(Array(5).fill('applied'));
    expect(await counts(w.operator.tenantId)).toMatchObject({ sales: 5, jobs: 5, sold: 5 });
  });

  it('answers the ops before one that fails unexpectedly and leaves the rest for the next push', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 5);
    const ops = await Promise.all(codes.map((c, i) => w.device.sale(c, i + 1)));
    const heal = await failInserts('voucher_sales', `new.code = '${codes[2]}'`);
    const first = await push(w.agentActor, w.device.id, ops);
    await heal();
    expect(first.map((r) => [r.seq, r.result])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
    ]);
    // The failed op's voucher move was undone with it.
    const [third] = await t.app.db
      .select()
      .from(vouchers)
      .where(eq(vouchers.code, codes[2] ?? ''));
    expect(third).toMatchObject({ status: 'leased', soldAt: null });
    expect(await lastSeq(w.device.id)).toBe(2);
    const again = await push(w.agentActor, w.device.id, ops);
    expect(again.map((r) => r.result)).toEqual(['duplicate', 'duplicate', 'applied', 'applied', 'applied']);
    expect(await counts(w.operator.tenantId)).toMatchObject({ sales: 5, ledger: 5, sold: 5 });
    expect(await verifyAuditChain(t.app.db, w.operator.tenantId)).toBeNull();
  });
});

describe('a buyer phone added after the sale reached Kasi', () => {
  it('stores the number and queues the receipt once, answering duplicate', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    const sale = await w.device.sale(code, 1);
    expect((await push(w.agentActor, w.device.id, [sale]))[0]?.result).toBe('applied');
    // The answer was lost; the phone signed the same sale again with the buyer's number.
    const withPhone = await signOp(w.device.keys.privateKey, w.device.id, {
      ...sale,
      buyerPhone: '+254700000042',
    });
    for (let i = 0; i < 2; i++) {
      expect(await push(w.agentActor, w.device.id, [withPhone])).toEqual([
        { saleId: sale.saleId, seq: 1, result: 'duplicate' },
      ]);
    }
    const [row] = await t.app.db.select().from(voucherSales).where(eq(voucherSales.saleId, sale.saleId));
    expect(row?.buyerPhone).toBe('+254700000042');
    // One receipt job, naming the sale only: the number stays on the sale.
    const queued = await tenantJobs(t.app, SALE_RECEIPT_JOB, w.operator.tenantId);
    expect(queued.map((j) => j.data)).toEqual([{ tenantId: w.operator.tenantId, saleId: sale.saleId }]);
    expect(JSON.stringify(queued)).not.toContain('700000042');
    expect(JSON.stringify(queued)).not.toContain(code);
    // The audit log is kept for ever: it names the change, not the buyer's number.
    const audit = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.operator.tenantId), eq(auditLog.action, 'sale.buyer_phone')));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain('700000042');
    expect(audit[0]?.after).toEqual({ buyerPhone: '+2547…42' });
    // Any other change to a stored sale is still refused.
    const changed = await signOp(w.device.keys.privateKey, w.device.id, {
      ...sale,
      buyerPhone: '+254700000043',
      amountMinor: 1n,
    });
    expect((await push(w.agentActor, w.device.id, [changed]))[0]?.reason).toBe('sale_id_reused');
    expect(await verifyAuditChain(t.app.db, w.operator.tenantId)).toBeNull();
  });
});
