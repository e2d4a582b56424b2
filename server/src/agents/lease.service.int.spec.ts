import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, plans, vouchers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { recordHandover } from '../cash/ledger.service.ts';
import { createVoucherBatch } from '../vouchers/voucher.service.ts';
import { pushOps } from '../sync/sync.service.ts';
import { newAgentWorld } from './agent.testing.ts';
import { retireDevice } from './device.service.ts';
import { agentExposure, leaseVouchers, listLeases, requestLease, revokeLease } from './lease.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const codeRows = (tenantId: string, codes: string[]) =>
  t.app.db
    .select()
    .from(vouchers)
    .where(eq(vouchers.tenantId, tenantId))
    .then((rows) => rows.filter((r) => codes.includes(r.code)));

describe('leases', () => {
  it('leases generated codes of an active plan to an approved device, at the plan price', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1500n });
    const { lease, codes } = await leaseVouchers(t.app, w.operator, {
      deviceId: w.device.id,
      planId: w.plan.id,
      count: 5,
    });
    expect(lease).toMatchObject({ count: 5, unitPriceMinor: 1500n, currency: 'KES', version: 1 });
    const rows = await codeRows(w.operator.tenantId, codes);
    expect(rows).toHaveLength(5);
    for (const r of rows)
      expect(r).toMatchObject({ status: 'leased', leasedDeviceId: w.device.id, leaseId: lease.id });
    // The same codes are never leased twice.
    const again = await w.lease(w.device, 5);
    expect(again.filter((c) => codes.includes(c))).toEqual([]);
    expect((await listLeases(t.app, w.operator)).map((l) => l.lease.count)).toEqual([5, 5]);
  });

  it('caps unsold stock at face value plus unreconciled cash by the agent’s limit', async () => {
    const w = await newAgentWorld(t, { priceMinor: 2000n });
    const { agent, actor } = await w.newAgent(10_000n);
    const device = await w.newDevice(actor);
    const codes = await w.lease(device, 4); // 8 000 of 10 000
    await expect(w.lease(device, 2)).rejects.toMatchObject({
      code: 'LEASE.LIMIT_EXCEEDED',
      details: {
        creditLimitMinor: 10_000n,
        unsoldFaceMinor: 8_000n,
        requestedMinor: 4_000n,
        headroomMinor: 2_000n,
      },
    });
    // Selling turns stock into cash owed: the exposure stays until the cash is handed over.
    const ops = await Promise.all(codes.slice(0, 3).map((c, i) => device.sale(c, i + 1)));
    await pushOps(t.app, actor, { deviceId: device.id, ops });
    expect(await agentExposure(t.app.db, w.operator.tenantId, agent.id)).toEqual({
      outstandingMinor: 6_000n,
      unsoldFaceMinor: 2_000n,
      unsoldCount: 1,
    });
    await expect(w.lease(device, 2)).rejects.toMatchObject({ code: 'LEASE.LIMIT_EXCEEDED' });
    await recordHandover(t.app, w.operator, { agentId: agent.id, amountMinor: 6_000n, currency: 'KES' });
    expect(await w.lease(device, 4)).toHaveLength(4);
  });

  it('lets a float agent (limit 0) lease only what was paid in advance', async () => {
    const w = await newAgentWorld(t, { priceMinor: 2000n });
    const { agent, actor } = await w.newAgent(0n);
    const device = await w.newDevice(actor);
    await expect(w.lease(device, 1)).rejects.toMatchObject({ code: 'LEASE.LIMIT_EXCEEDED' });
    await recordHandover(t.app, w.operator, { agentId: agent.id, amountMinor: 5_000n, currency: 'KES' });
    expect(await w.lease(device, 2)).toHaveLength(2);
    await expect(w.lease(device, 1)).rejects.toMatchObject({ code: 'LEASE.LIMIT_EXCEEDED' });
  });

  it('serialises concurrent leases so the limit holds under races', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1000n });
    const { actor } = await w.newAgent(5_000n);
    const [d1, d2] = [await w.newDevice(actor, 'one'), await w.newDevice(actor, 'two')];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => w.lease(i % 2 ? d1 : d2, 1)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });

  it('generates the missing codes when an operator issues more than the plan has in stock', async () => {
    // Field test (issue 15 item 12): issuing stock with every batch of the plan used up failed
    // with "Only 0 codes of this plan are in stock"; the operator had to make a batch first.
    const w = await newAgentWorld(t, { priceMinor: 1000n, codes: 2 });
    expect(await w.lease(w.device, 2)).toHaveLength(2);
    const { lease, codes } = await leaseVouchers(t.app, w.operator, {
      deviceId: w.device.id,
      planId: w.plan.id,
      count: 5,
    });
    expect(codes).toHaveLength(5);
    const rows = await codeRows(w.operator.tenantId, codes);
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'leased', leaseId: lease.id, planId: w.plan.id, channel: 'leased' });
    }
    // The new codes came from one new batch of exactly the shortfall, audited as made for the lease.
    const made = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.operator.tenantId), eq(auditLog.action, 'voucher_batch.create')));
    const batchIds = new Set(rows.map((r) => r.batchId));
    expect(batchIds.size).toBe(1);
    expect(made.map((a) => a.entityId)).toContain([...batchIds][0]);
    // Partly in stock: the lease takes the stock first and makes only what is missing.
    await createVoucherBatch(t.app, w.operator, { planId: w.plan.id, quantity: 3 });
    const mixed = await codeRows(w.operator.tenantId, await w.lease(w.device, 4));
    expect(mixed).toHaveLength(4);
    expect(new Set(mixed.map((r) => r.batchId)).size).toBe(2);
    const unsold = await t.app.db
      .select()
      .from(vouchers)
      .where(and(eq(vouchers.tenantId, w.operator.tenantId), eq(vouchers.status, 'generated')));
    expect(unsold).toEqual([]);
  });

  it('refuses pending devices, inactive plans, other agents’ devices and too few codes', async () => {
    const w = await newAgentWorld(t, { codes: 3 });
    const other = await w.newAgent();
    const otherDevice = await w.newDevice(other.actor);
    await expect(
      requestLease(t.app, w.agentActor, { deviceId: otherDevice.id, planId: w.plan.id, count: 1 }),
    ).rejects.toMatchObject({ code: 'DEVICE.NOT_FOUND' });
    // An agent asking for more than is in stock is refused; only an operator's issue makes codes.
    await expect(
      requestLease(t.app, w.agentActor, { deviceId: w.device.id, planId: w.plan.id, count: 4 }),
    ).rejects.toMatchObject({ code: 'LEASE.NOT_ENOUGH_CODES' });
    expect(
      (await requestLease(t.app, w.agentActor, { deviceId: w.device.id, planId: w.plan.id, count: 1 })).codes,
    ).toHaveLength(1);
    await retireDevice(t.app, w.operator, { deviceId: otherDevice.id }, 'revoked');
    await expect(w.lease(otherDevice, 1)).rejects.toMatchObject({ code: 'DEVICE.NOT_APPROVED' });
    // No service switches plans off yet; the flag is what leasing reads.
    await t.app.db.update(plans).set({ active: false }).where(eq(plans.id, w.plan.id));
    await expect(w.lease(w.device, 1)).rejects.toMatchObject({ code: 'PLAN.INACTIVE' });
  });

  it('revokes a lease: unsold codes are locked for RADIUS, sold ones untouched, audited', async () => {
    const w = await newAgentWorld(t);
    const { lease, codes } = await leaseVouchers(t.app, w.operator, {
      deviceId: w.device.id,
      planId: w.plan.id,
      count: 3,
    });
    const [soldCode] = codes;
    await pushOps(t.app, w.agentActor, {
      deviceId: w.device.id,
      ops: [await w.device.sale(soldCode ?? '', 1)],
    });
    const { lockedCodes } = await revokeLease(t.app, w.operator, lease.id);
    expect(lockedCodes.sort()).toEqual(codes.slice(1).sort());
    const rows = await codeRows(w.operator.tenantId, codes);
    expect(rows.find((r) => r.code === soldCode)).toMatchObject({ status: 'sold', locked: false });
    expect(rows.filter((r) => r.locked)).toHaveLength(2);
    await expect(revokeLease(t.app, w.operator, lease.id)).rejects.toMatchObject({
      code: 'LEASE.ALREADY_REVOKED',
    });
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.operator.tenantId), eq(auditLog.action, 'lease.revoke')));
    expect(audit?.entityId).toBe(lease.id);
  });

  it('locks the unsold codes of a device declared lost', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 4);
    const { device, lockedCodes } = await retireDevice(
      t.app,
      w.operator,
      { deviceId: w.device.id, reason: 'stolen' },
      'lost',
    );
    expect(device.status).toBe('lost');
    expect(lockedCodes.sort()).toEqual([...codes].sort());
    expect((await codeRows(w.operator.tenantId, codes)).every((r) => r.locked && r.status === 'leased')).toBe(
      true,
    );
  });

  it('will not lease another tenant’s plan or to another tenant’s device', async () => {
    const a = await newAgentWorld(t);
    const b = await newAgentWorld(t);
    await expect(
      leaseVouchers(t.app, b.operator, { deviceId: a.device.id, planId: b.plan.id, count: 1 }),
    ).rejects.toMatchObject({ code: 'DEVICE.NOT_FOUND' });
    await expect(
      leaseVouchers(t.app, b.operator, { deviceId: b.device.id, planId: a.plan.id, count: 1 }),
    ).rejects.toMatchObject({ code: 'PLAN.NOT_FOUND' });
    const { lease } = await leaseVouchers(t.app, a.operator, {
      deviceId: a.device.id,
      planId: a.plan.id,
      count: 1,
    });
    await expect(revokeLease(t.app, b.operator, lease.id)).rejects.toMatchObject({ code: 'LEASE.NOT_FOUND' });
    expect(await listLeases(t.app, b.operator)).toEqual([]);
    expect(await listLeases(t.app, b.operator, { agentId: a.agent.id })).toEqual([]);
  });

  it('lists one agent’s leases across all their devices, and no one else’s', async () => {
    const w = await newAgentWorld(t);
    const second = await w.newDevice(w.agentActor, 'second');
    const other = await w.newAgent();
    await w.lease(w.device, 1);
    await w.lease(second, 2);
    await w.lease(await w.newDevice(other.actor), 3);
    const mine = await listLeases(t.app, w.operator, { agentId: w.agent.id });
    expect(mine.map((l) => [l.lease.deviceId, l.lease.count]).sort()).toEqual(
      [
        [w.device.id, 1],
        [second.id, 2],
      ].sort(),
    );
    expect(await listLeases(t.app, w.operator, { agentId: w.agent.id, deviceId: second.id })).toHaveLength(1);
    expect(
      (await listLeases(t.app, w.operator, { agentId: other.agent.id })).map((l) => l.lease.count),
    ).toEqual([3]);
  });
});
