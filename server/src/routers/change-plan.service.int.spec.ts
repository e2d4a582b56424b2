import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, nas, routers, SECRET_PURPOSE } from '@kasi/db';
import type { RouterOsSim } from '@kasi/routeros-sim';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import {
  applyChangePlan,
  decidePlan,
  proposeRadiusWiring,
  rollbackChangePlan,
} from './change-plan.service.ts';
import { ROUTER_PASSWORD, startPlanRouter } from './plan-router.fixture.ts';
import { deleteRouter, listRouters, testRouter, updateRouter } from './router.service.ts';
import { MASK } from './sealed-values.ts';

let t: TestApp;
let sim: RouterOsSim;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
afterEach(async () => {
  await sim?.close();
});

async function setup(opts: { twoPerson?: boolean } = {}) {
  const started = await startPlanRouter(t, opts);
  sim = started.sim;
  return started;
}

const radiusRows = () => sim.state.rows('/radius');
const profileRadius = () => sim.state.rows('/ip/hotspot/profile').map((r) => r['use-radius']);

describe('router onboarding with change plans', () => {
  it('probes the router, keeps its password encrypted and out of every response', async () => {
    const { actor, router } = await setup();
    const probe = await testRouter(t.app, actor, router.id);
    expect(probe).toMatchObject({ ok: true, identity: 'tower-1', health: { reachable: true } });
    const [stored] = await t.app.db.select().from(routers).where(eq(routers.id, router.id));
    expect(stored?.passwordEnc).not.toContain(ROUTER_PASSWORD);
    expect(
      await t.app.keyring.decrypt(
        t.app.db,
        actor.tenantId,
        SECRET_PURPOSE.routerPassword,
        stored?.passwordEnc ?? '',
      ),
    ).toBe(ROUTER_PASSWORD);
    const everything = JSON.stringify(
      [router, await listRouters(t.app, actor), await t.app.db.select().from(auditLog)],
      (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    expect(everything).not.toContain(ROUTER_PASSWORD);
  });

  it('previews, needs a second operator, applies, verifies and rolls back to the snapshot', async () => {
    const { actor, approver, router } = await setup({ twoPerson: true });
    const before = { radius: radiusRows(), profiles: profileRadius(), aaa: sim.state.singleton('/ppp/aaa') };
    const { plan } = await proposeRadiusWiring(t.app, actor, router.id, { radiusAddress: '192.0.2.53' });
    if (!plan) throw new Error('expected a plan');
    const ops = plan.operations.ops;
    expect(ops.map((o) => `${o.kind} ${o.path}`)).toEqual([
      'add /radius',
      'set /radius/incoming',
      'set /ip/hotspot/profile',
      'set /ip/hotspot/profile',
      'set /ppp/aaa',
    ]);
    const add = ops[0];
    expect(add?.kind === 'add' && add.values.secret).toBe(MASK);

    await expect(applyChangePlan(t.app, actor, plan.id)).rejects.toMatchObject({ code: 'CHANGE_PLAN.STATE' });
    await expect(decidePlan(t.app, actor, plan.id, 'approve')).rejects.toMatchObject({
      code: 'CHANGE_PLAN.SELF_APPROVAL',
    });
    await decidePlan(t.app, approver, plan.id, 'approve');
    const applied = await applyChangePlan(t.app, actor, plan.id);
    expect(applied).toMatchObject({ status: 'applied', error: null });

    const [nasRow] = await t.app.db.select().from(nas).where(eq(nas.address, router.host));
    const nasSecret = await t.app.keyring.decrypt(
      t.app.db,
      actor.tenantId,
      SECRET_PURPOSE.nasSecret,
      nasRow?.secretEnc ?? '',
    );
    expect(radiusRows()).toEqual([
      expect.objectContaining({ address: '192.0.2.53', secret: nasSecret, service: 'hotspot,ppp' }),
    ]);
    expect(sim.state.singleton('/radius/incoming')).toMatchObject({ accept: 'true', port: '3799' });
    expect(profileRadius()).toEqual(['true', 'true']);

    const rolledBack = await rollbackChangePlan(t.app, actor, plan.id);
    expect(rolledBack.status).toBe('rolled_back');
    expect({ radius: radiusRows(), profiles: profileRadius(), aaa: sim.state.singleton('/ppp/aaa') }).toEqual(
      before,
    );
    const actions = (await t.app.db.select().from(auditLog).where(eq(auditLog.entityId, plan.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual([
      'change_plan.propose',
      'change_plan.approved',
      'change_plan.applying',
      'change_plan.applied',
      'change_plan.applying',
      'change_plan.rolled_back',
    ]);
    expect(
      JSON.stringify(await t.app.db.select().from(auditLog), (_k, v: unknown) =>
        typeof v === 'bigint' ? String(v) : v,
      ),
    ).not.toContain(nasSecret);
  });

  it('rolls back automatically when the router fails mid-apply, leaving it as it was', async () => {
    const { actor, router } = await setup();
    const before = {
      radius: radiusRows(),
      profiles: profileRadius(),
      incoming: sim.state.singleton('/radius/incoming'),
    };
    const { plan } = await proposeRadiusWiring(t.app, actor, router.id, { radiusAddress: '192.0.2.54' });
    if (!plan) throw new Error('expected a plan');
    await decidePlan(t.app, actor, plan.id, 'approve');
    sim.faults.set({ failNthWrite: { nth: 3, message: 'failure: simulated fault' } });
    const outcome = await applyChangePlan(t.app, actor, plan.id);
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.error).toContain('simulated fault');
    expect({
      radius: radiusRows(),
      profiles: profileRadius(),
      incoming: sim.state.singleton('/radius/incoming'),
    }).toEqual(before);
  });

  it('aborts without touching the router when it changed since the plan was made', async () => {
    const { actor, router } = await setup();
    const { plan } = await proposeRadiusWiring(t.app, actor, router.id, { radiusAddress: '192.0.2.55' });
    if (!plan) throw new Error('expected a plan');
    await decidePlan(t.app, actor, plan.id, 'approve');
    const [profile] = sim.state.rows('/ip/hotspot/profile');
    sim.state.update('/ip/hotspot/profile', profile?.['.id'] ?? '', { 'use-radius': 'true' });
    const outcome = await applyChangePlan(t.app, actor, plan.id);
    expect(outcome.status).toBe('aborted');
    expect(outcome.error).toMatch(/changed since the plan was made/);
    expect(radiusRows()).toEqual([]);
  });

  it('says the router is up to date when nothing needs changing', async () => {
    const { actor, router } = await setup();
    const { plan } = await proposeRadiusWiring(t.app, actor, router.id, { radiusAddress: '192.0.2.56' });
    await decidePlan(t.app, actor, plan?.id ?? '', 'approve');
    await applyChangePlan(t.app, actor, plan?.id ?? '');
    expect(await proposeRadiusWiring(t.app, actor, router.id, { radiusAddress: '192.0.2.56' })).toEqual({
      upToDate: true,
      plan: null,
    });
  });

  it('fixes a wrong API password in place, keeping it encrypted', async () => {
    const { actor, router } = await setup();
    await updateRouter(t.app, actor, router.id, { password: 'wrong-password' });
    expect(await testRouter(t.app, actor, router.id)).toMatchObject({
      ok: false,
      code: 'ROUTER.AUTH_FAILED',
    });
    await updateRouter(t.app, actor, router.id, { password: ROUTER_PASSWORD });
    expect(await testRouter(t.app, actor, router.id)).toMatchObject({ ok: true });
    await deleteRouter(t.app, actor, router.id);
    expect(await listRouters(t.app, actor)).toEqual([]);
  });
});
