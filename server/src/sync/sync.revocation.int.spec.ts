import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { syncConflicts, vouchers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { retireDevice } from '../agents/device.service.ts';
import { pushOps } from './sync.service.ts';

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

const conflictsOf = (tenantId: string) =>
  t.app.db.select().from(syncConflicts).where(eq(syncConflicts.tenantId, tenantId));

describe('revocation mid-flight', () => {
  it('rejects later pushes from a revoked device and keeps its unsold codes locked', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 3);
    const ops = await Promise.all(codes.map((c, i) => w.device.sale(c, i + 1)));
    expect((await push(w.agentActor, w.device.id, [ops[0]!]))[0]?.result).toBe('applied');
    const { lockedCodes } = await retireDevice(t.app, w.operator, { deviceId: w.device.id }, 'revoked');
    expect(lockedCodes.sort()).toEqual(codes.slice(1).sort());
    // The whole outbox again: the sale made before the revocation is still acknowledged.
    const later = await push(w.agentActor, w.device.id, ops);
    expect(later.map((r) => r.reason ?? r.result)).toEqual([
      'duplicate',
      'device_not_approved',
      'device_not_approved',
    ]);
    const rows = await t.app.db.select().from(vouchers).where(eq(vouchers.leasedDeviceId, w.device.id));
    expect(rows.filter((r) => r.status === 'sold')).toHaveLength(1);
    expect(rows.filter((r) => r.locked && r.soldAt === null)).toHaveLength(2);
    expect(
      (await conflictsOf(w.operator.tenantId)).filter((c) => c.reason === 'device_not_approved'),
    ).toHaveLength(2);
  });

  it('never sells a locked code when the revocation races a push', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 20);
    const ops = await Promise.all(codes.map((c, i) => w.device.sale(c, i + 1)));
    const [results] = await Promise.all([
      push(w.agentActor, w.device.id, ops),
      new Promise((r) => setTimeout(r, 30)).then(() =>
        retireDevice(t.app, w.operator, { deviceId: w.device.id }, 'lost'),
      ),
    ]);
    const applied = results.filter((r) => r.result === 'applied').length;
    // Ops are applied in order until the revocation, and none after it.
    expect(results.map((r) => r.result)).toEqual([
      ...Array<string>(applied).fill('applied'),
      ...Array<string>(20 - applied).fill('rejected'),
    ]);
    const rows = await t.app.db.select().from(vouchers).where(eq(vouchers.leasedDeviceId, w.device.id));
    expect(rows.filter((r) => r.soldAt !== null && r.locked)).toEqual([]);
    expect(rows.filter((r) => r.locked)).toHaveLength(20 - applied);
  });
});
