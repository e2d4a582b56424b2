import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { agentDevices, agentLedger, auditLog, syncConflicts, voucherSales, vouchers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld, signOp } from '../agents/agent.testing.ts';
import { pushOps } from './sync.service.ts';
import { tenantJobs } from '../jobs/job.testing.ts';
import { SALE_RECEIPT_JOB } from '../sms/sale-receipt.job.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const push = (
  actor: Parameters<typeof pushOps>[1],
  deviceId: string,
  ops: Parameters<typeof pushOps>[2]['ops'],
) => pushOps(t.app, actor, { deviceId, ops }).then((r) => r.results);

/** Row counts that a replayed push must leave exactly as they were. */
async function footprint(tenantId: string) {
  const n = async (
    table: typeof voucherSales | typeof agentLedger | typeof syncConflicts | typeof auditLog,
  ) => (await t.app.db.select({ n: count() }).from(table).where(eq(table.tenantId, tenantId)))[0]?.n;
  const sold = await t.app.db
    .select({ n: count() })
    .from(vouchers)
    .where(and(eq(vouchers.tenantId, tenantId), eq(vouchers.status, 'sold')));
  const devices = await t.app.db
    .select({ id: agentDevices.id, lastSeq: agentDevices.lastSeq })
    .from(agentDevices)
    .where(eq(agentDevices.tenantId, tenantId));
  return {
    sales: await n(voucherSales),
    ledger: await n(agentLedger),
    conflicts: await n(syncConflicts),
    jobs: (await tenantJobs(t.app, SALE_RECEIPT_JOB, tenantId)).length,
    audit: await n(auditLog),
    sold: sold[0]?.n,
    devices,
  };
}

const conflictsOf = (tenantId: string) =>
  t.app.db.select().from(syncConflicts).where(eq(syncConflicts.tenantId, tenantId));

describe('sync push', () => {
  it('applies a signed sale: voucher sold, sale stored, ledger posted, receipt queued', async () => {
    const w = await newAgentWorld(t, { commissionBps: 1000 });
    const [code = ''] = await w.lease(w.device, 1);
    const op = await w.device.sale(code, 1, { buyerPhone: '+254700000001' });
    expect(await push(w.agentActor, w.device.id, [op])).toEqual([
      { saleId: op.saleId, seq: 1, result: 'applied' },
    ]);
    const [v] = await t.app.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v).toMatchObject({ status: 'sold', soldAt: new Date(op.soldAt) });
    const [sale] = await t.app.db.select().from(voucherSales).where(eq(voucherSales.saleId, op.saleId));
    expect(sale).toMatchObject({ code, seq: 1, amountMinor: 2000n, buyerPhone: '+254700000001' });
    const ledger = await t.app.db.select().from(agentLedger).where(eq(agentLedger.saleId, op.saleId));
    expect(ledger.map((l) => [l.kind, l.amountMinor]).sort()).toEqual([
      ['commission', -200n],
      ['sale', 2000n],
    ]);
    const jobs = await tenantJobs(t.app, SALE_RECEIPT_JOB, w.operator.tenantId);
    expect(jobs).toMatchObject([
      { name: SALE_RECEIPT_JOB, data: { tenantId: w.operator.tenantId, saleId: op.saleId } },
    ]);
  });

  it('applies each op once under concurrent duplicate pushes', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 6);
    const ops = await Promise.all(codes.map((c, i) => w.device.sale(c, i + 1)));
    const pushes = await Promise.all(Array.from({ length: 4 }, () => push(w.agentActor, w.device.id, ops)));
    for (const op of ops) {
      const results = pushes.map((p) => p.find((r) => r.saleId === op.saleId)?.result);
      expect(results.filter((r) => r === 'applied')).toHaveLength(1);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(3);
    }
    const f = await footprint(w.operator.tenantId);
    expect(f).toMatchObject({ sales: 6, ledger: 6, sold: 6, conflicts: 0 });
  });

  it('changes nothing when a whole push is replayed, rejected ops included', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 3);
    const ops = [
      await w.device.sale(codes[0] ?? '', 1, { buyerPhone: '0700000002' }),
      await w.device.sale(codes[1] ?? '', 2),
      await w.device.sale('ABCDEFGH2', 3), // not one of ours
      await w.device.sale(codes[2] ?? '', 5), // seq 4 missing
    ];
    const first = await push(w.agentActor, w.device.id, ops);
    expect(first.map((r) => r.result)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    const before = await footprint(w.operator.tenantId);
    const again = await push(w.agentActor, w.device.id, ops);
    expect(again.map((r) => r.result)).toEqual(['duplicate', 'duplicate', 'rejected', 'duplicate']);
    expect(again[2]?.reason).toBe(first[2]?.reason);
    expect(await footprint(w.operator.tenantId)).toEqual(before);
  });

  it('applies a code pushed from two devices once; the other is rejected and recorded', async () => {
    const w = await newAgentWorld(t);
    const other = await w.newAgent();
    const thief = await w.newDevice(other.actor);
    const second = await w.newDevice(w.agentActor, 'second phone');
    const [code = ''] = await w.lease(w.device, 1);
    const [mine, theirs, sibling] = await Promise.all([
      w.device.sale(code, 1),
      thief.sale(code, 1),
      second.sale(code, 1),
    ]);
    const results = await Promise.all([
      push(w.agentActor, w.device.id, [mine!]),
      push(other.actor, thief.id, [theirs!]),
      push(w.agentActor, second.id, [sibling!]),
    ]);
    expect(results.map((r) => r[0]?.result)).toEqual(['applied', 'rejected', 'rejected']);
    expect(results[1]?.[0]?.reason).toBe('not_leased_to_device');
    const conflicts = await conflictsOf(w.operator.tenantId);
    expect(conflicts.map((c) => [c.deviceId, c.reason]).sort()).toEqual(
      [
        [thief.id, 'not_leased_to_device'],
        [second.id, 'not_leased_to_device'],
      ].sort(),
    );
    expect((await footprint(w.operator.tenantId)).sales).toBe(1);
  });

  it('rejects a second sale of the same code from the same device as already sold', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    const results = await push(w.agentActor, w.device.id, [
      await w.device.sale(code, 1),
      await w.device.sale(code, 2),
    ]);
    expect(results.map((r) => r.reason ?? r.result)).toEqual(['applied', 'already_sold']);
  });

  it('flags a sequence gap but applies the op, and accepts the late op without a new flag', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 4);
    const ops = await Promise.all(codes.map((c, i) => w.device.sale(c, [1, 2, 5, 3][i] ?? 9)));
    const first = await push(w.agentActor, w.device.id, ops.slice(0, 3));
    expect(first.map((r) => r.result)).toEqual(['applied', 'applied', 'applied']);
    const late = await push(w.agentActor, w.device.id, [ops[3]!]);
    expect(late[0]?.result).toBe('applied');
    const conflicts = await conflictsOf(w.operator.tenantId);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      reason: 'sequence_gap',
      seq: 5,
      payload: { found: { missingFrom: 3, missingTo: 4 } },
    });
    const [d] = await t.app.db.select().from(agentDevices).where(eq(agentDevices.id, w.device.id));
    expect(d?.lastSeq).toBe(5);
  });

  it('rejects bad signatures without moving the sequence', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    const genuine = await w.device.sale(code, 1);
    const tampered = { ...genuine, amountMinor: 1n };
    const stranger = await newAgentWorld(t);
    const forged = await signOp(stranger.device.keys.privateKey, w.device.id, {
      ...genuine,
      saleId: crypto.randomUUID(),
    });
    const results = await push(w.agentActor, w.device.id, [tampered]);
    expect(results[0]).toMatchObject({ result: 'rejected', reason: 'bad_signature' });
    expect((await push(w.agentActor, w.device.id, [forged]))[0]?.reason).toBe('bad_signature');
    const f = await footprint(w.operator.tenantId);
    expect(f).toMatchObject({ sales: 0, sold: 0, conflicts: 2 });
    expect(f.devices.find((d) => d.id === w.device.id)?.lastSeq).toBe(0);
    expect((await push(w.agentActor, w.device.id, [genuine]))[0]?.result).toBe('applied');
  });

  it('rejects a reused sale id carrying a different sale', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 2);
    const op = await w.device.sale(codes[0] ?? '', 1);
    const reuse = await w.device.sale(codes[1] ?? '', 2, { saleId: op.saleId });
    const results = await push(w.agentActor, w.device.id, [op, reuse]);
    expect(results.map((r) => r.reason ?? r.result)).toEqual(['applied', 'sale_id_reused']);
  });

  it('sells a code the buyer already used before the phone synced, keeping it active', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    // What radiusd does at first login (startVoucherClock).
    await t.app.db
      .update(vouchers)
      .set({ status: 'active', firstUsedAt: new Date() })
      .where(eq(vouchers.code, code));
    expect((await push(w.agentActor, w.device.id, [await w.device.sale(code, 1)]))[0]?.result).toBe(
      'applied',
    );
    const [v] = await t.app.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v?.status).toBe('active');
    expect(v?.soldAt).not.toBeNull();
  });

  it('refuses a sale of a code a customer logged in with before the sale, and records the conflict', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    const soldAt = new Date(Date.now() - 60_000);
    // A paper card or a test login: RADIUS saw the code an hour before the agent's sale.
    await t.app.db
      .update(vouchers)
      .set({ status: 'active', firstUsedAt: new Date(soldAt.getTime() - 3_600_000) })
      .where(eq(vouchers.code, code));
    const op = await w.device.sale(code, 1, { soldAt: soldAt.toISOString() });
    expect(await push(w.agentActor, w.device.id, [op])).toEqual([
      { saleId: op.saleId, seq: 1, result: 'rejected', reason: 'used_before_sale' },
    ]);
    const [v] = await t.app.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v?.soldAt).toBeNull();
    expect(await t.app.db.select().from(voucherSales).where(eq(voucherSales.saleId, op.saleId))).toEqual([]);
    const conflicts = await conflictsOf(w.operator.tenantId);
    expect(conflicts.map((c) => [c.reason, c.code])).toEqual([['used_before_sale', code]]);
    // The agent owes nothing for it until the operator decides.
    const ledger = await t.app.db.select().from(agentLedger).where(eq(agentLedger.agentId, w.agent.id));
    expect(ledger).toEqual([]);
  });

  it('charges the lease price and flags a sale reported at another amount', async () => {
    const w = await newAgentWorld(t, { priceMinor: 2000n });
    const [code = ''] = await w.lease(w.device, 1);
    const op = await w.device.sale(code, 1, { amountMinor: 1500n });
    expect((await push(w.agentActor, w.device.id, [op]))[0]?.result).toBe('applied');
    const [line] = await t.app.db
      .select()
      .from(agentLedger)
      .where(and(eq(agentLedger.saleId, op.saleId), eq(agentLedger.kind, 'sale')));
    expect(line?.amountMinor).toBe(2000n);
    expect((await conflictsOf(w.operator.tenantId)).map((c) => c.reason)).toEqual(['amount_mismatch']);
  });
});

describe('tenant isolation', () => {
  it('keeps pushes and sale ids inside their tenant', async () => {
    const a = await newAgentWorld(t);
    const b = await newAgentWorld(t);
    const [codeA = ''] = await a.lease(a.device, 1);
    const [codeB = ''] = await b.lease(b.device, 1);
    await expect(push(b.agentActor, a.device.id, [await a.device.sale(codeA, 1)])).rejects.toMatchObject({
      code: 'DEVICE.NOT_FOUND',
    });
    const opA = await a.device.sale(codeA, 1);
    expect((await push(a.agentActor, a.device.id, [opA]))[0]?.result).toBe('applied');
    // The same sale id from another tenant is neither a duplicate nor a way to learn about A's sale.
    const opB = await b.device.sale(codeB, 1, { saleId: opA.saleId });
    expect((await push(b.agentActor, b.device.id, [opB]))[0]).toMatchObject({
      result: 'rejected',
      reason: 'sale_id_reused',
    });
    // B's device cannot sell A's code either.
    expect((await push(b.agentActor, b.device.id, [await b.device.sale(codeA, 2)]))[0]?.reason).toBe(
      'unknown_code',
    );
    expect((await conflictsOf(a.operator.tenantId)).length).toBe(0);
  });
});
