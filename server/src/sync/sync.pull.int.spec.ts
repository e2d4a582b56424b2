import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { retireDevice } from '../agents/device.service.ts';
import { leaseVouchers, revokeLease } from '../agents/lease.service.ts';
import { pullFeed, pushOps } from './sync.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('sync pull', () => {
  it('sends leased stock once per cursor, with what the agent tells the buyer', async () => {
    const w = await newAgentWorld(t, { priceMinor: 2500n });
    const first = await w.lease(w.device, 2);
    const pull1 = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: null });
    expect(pull1.cursor).toBe('1');
    expect(pull1.device).toMatchObject({ status: 'approved', lastSeq: 0 });
    expect(pull1.leased.map((l) => l.code).sort()).toEqual([...first].sort());
    expect(pull1.leased[0]).toMatchObject({
      planName: 'Hour',
      priceMinor: 2500n,
      currency: 'KES',
      validitySeconds: 3600,
      validityText: '1 hour',
    });
    expect(pull1.revoked).toEqual([]);

    const quiet = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: pull1.cursor });
    expect(quiet).toMatchObject({ cursor: '1', leased: [], revoked: [] });

    const second = await w.lease(w.device, 3);
    const pull2 = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: pull1.cursor });
    expect(pull2.cursor).toBe('2');
    expect(pull2.leased.map((l) => l.code).sort()).toEqual([...second].sort());
  });

  it('resends everything unsold to a device that lost its cursor', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 3);
    await pushOps(t.app, w.agentActor, {
      deviceId: w.device.id,
      ops: [await w.device.sale(codes[0] ?? '', 1)],
    });
    const full = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: '999' });
    expect(full.leased.map((l) => l.code).sort()).toEqual(codes.slice(1).sort());
    expect(full.device.lastSeq).toBe(1);
  });

  it('tells the device which codes were revoked, and that it was declared lost', async () => {
    const w = await newAgentWorld(t);
    const { lease, codes } = await leaseVouchers(t.app, w.operator, {
      deviceId: w.device.id,
      planId: w.plan.id,
      count: 2,
    });
    const kept = await w.lease(w.device, 1);
    const before = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: null });
    await revokeLease(t.app, w.operator, lease.id);
    const after = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: before.cursor });
    expect(after.revoked.map((r) => r.code).sort()).toEqual([...codes].sort());
    expect(after.leased).toEqual([]);

    await retireDevice(t.app, w.operator, { deviceId: w.device.id }, 'lost');
    const lost = await pullFeed(t.app, w.agentActor, { deviceId: w.device.id, cursor: after.cursor });
    expect(lost.device.status).toBe('lost');
    expect(lost.revoked.map((r) => r.code)).toEqual(kept);
  });

  it('serves a device only to the agent who owns it', async () => {
    const w = await newAgentWorld(t);
    const other = await w.newAgent();
    await expect(pullFeed(t.app, other.actor, { deviceId: w.device.id, cursor: null })).rejects.toMatchObject(
      {
        code: 'DEVICE.NOT_FOUND',
      },
    );
    await expect(pullFeed(t.app, w.operator, { deviceId: w.device.id, cursor: null })).rejects.toMatchObject({
      code: 'AGENT.NOT_AN_AGENT',
    });
    const b = await newAgentWorld(t);
    await expect(
      pullFeed(t.app, b.agentActor, { deviceId: w.device.id, cursor: null }),
    ).rejects.toMatchObject({
      code: 'DEVICE.NOT_FOUND',
    });
  });
});
