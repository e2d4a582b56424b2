import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@kasi/db';
import { connectRouter, type RouterClient } from '@kasi/routeros';
import { addRows, SAFE_MODE_HISTORY_LIMIT, type RouterOsSim, type RouterOsVersion } from '@kasi/routeros-sim';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import type { PlanSafety } from './change-plan.engine.ts';
import { SAFE_MODE_MAX_OPS } from './change-plan.engine.ts';
import { applyChangePlan, decidePlan, proposeRadiusWiring } from './change-plan.service.ts';
import { ROUTER_PASSWORD, startPlanRouter } from './plan-router.fixture.ts';

let t: TestApp;
let sim: RouterOsSim;
let other: RouterClient | undefined;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
afterEach(async () => {
  await other?.close();
  other = undefined;
  await sim?.close();
});

/** A router with an approved "Connect to Kasi RADIUS" plan (five operations) ready to apply. */
async function approvedPlan(version: RouterOsVersion = '7.18') {
  const started = await startPlanRouter(t, { version });
  sim = started.sim;
  const { plan } = await proposeRadiusWiring(t.app, started.actor, started.router.id, {
    radiusAddress: '192.0.2.60',
  });
  if (!plan) throw new Error('expected a plan');
  await decidePlan(t.app, started.actor, plan.id, 'approve');
  return { ...started, plan };
}

/** Everything the wiring plan touches. */
const wiring = () => ({
  radius: sim.state.rows('/radius'),
  incoming: sim.state.singleton('/radius/incoming'),
  profiles: sim.state.rows('/ip/hotspot/profile'),
  aaa: sim.state.singleton('/ppp/aaa'),
});

async function auditedSafety(planId: string, action: string): Promise<PlanSafety | undefined> {
  const [entry] = await t.app.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, planId), eq(auditLog.action, action)));
  return (entry?.after as { safety?: PlanSafety } | null)?.safety;
}

function secondSession(): Promise<RouterClient> {
  return connectRouter({
    host: sim.host,
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: ROUTER_PASSWORD,
  });
}

describe('change plans under RouterOS safe mode (7.18)', () => {
  it('applies inside safe mode, releases it, and records the mode on the plan and in the audit', async () => {
    const { actor, plan } = await approvedPlan();
    const done = await applyChangePlan(t.app, actor, plan.id);
    expect(done.status).toBe('applied');
    expect(done.operations.safety).toEqual({ mode: 'safe-mode' });
    expect(await auditedSafety(plan.id, 'change_plan.applied')).toEqual({ mode: 'safe-mode' });
    expect(sim.state.safeMode.held).toBe(false);
    const applied = wiring();
    sim.dropConnections();
    expect(wiring()).toEqual(applied);
    expect(applied.radius).toHaveLength(1);
  });

  it('leaves the router as it was when the connection drops mid-apply: the router undoes the plan', async () => {
    const { actor, plan } = await approvedPlan();
    const before = wiring();
    // The first hotspot profile change is answered, then the connection is cut.
    sim.faults.set({ dropAfterSentences: { count: 1, match: '/ip/hotspot/profile/set' } });
    const outcome = await applyChangePlan(t.app, actor, plan.id);
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.error).toMatch(/safe mode ended/);
    expect(wiring()).toEqual(before);
    const safety = await auditedSafety(plan.id, 'change_plan.rolled_back');
    expect(safety).toMatchObject({ mode: 'safe-mode', undoneBy: 'safe-mode' });
    expect(safety?.note).toMatch(/router undid the changes by itself/);
    expect(outcome.operations.applied?.map((op) => op.path)).toEqual([
      '/radius',
      '/radius/incoming',
      '/ip/hotspot/profile',
    ]);
  });

  it('unrolls safe mode when the router refuses a step, leaving it as it was', async () => {
    const { actor, plan } = await approvedPlan();
    const before = wiring();
    sim.faults.set({ failNthWrite: { nth: 4, message: 'failure: simulated fault' } });
    const outcome = await applyChangePlan(t.app, actor, plan.id);
    expect(outcome).toMatchObject({ status: 'rolled_back', error: 'failure: simulated fault' });
    expect(wiring()).toEqual(before);
    expect(await auditedSafety(plan.id, 'change_plan.rolled_back')).toEqual({
      mode: 'safe-mode',
      undoneBy: 'safe-mode',
    });
  });

  it('closes the session so the router undoes the plan when unroll gets no answer', async () => {
    const { actor, plan } = await approvedPlan();
    const before = wiring();
    sim.faults.set({
      failNthWrite: { nth: 2, message: 'failure: simulated fault' },
      silence: '/safe-mode/unroll',
    });
    const outcome = await applyChangePlan(t.app, actor, plan.id);
    expect(outcome.status).toBe('rolled_back');
    expect(wiring()).toEqual(before);
    const safety = await auditedSafety(plan.id, 'change_plan.rolled_back');
    expect(safety).toMatchObject({ mode: 'safe-mode', undoneBy: 'safe-mode' });
    expect(safety?.note).toMatch(/unroll failed .*session was closed/);
  });

  it('falls back to the inverse operations when safe mode was lost and the router kept the changes', async () => {
    const { actor, plan } = await approvedPlan();
    const before = wiring();
    // Hold Kasi's first read under safe mode while other sessions' changes fill the router's
    // history: the router leaves safe mode, undoing nothing, and Kasi is not told.
    let delayed = false;
    const firstRead = (command: string) => command === '/radius/print' && !delayed && (delayed = true);
    sim.faults.set({ delayMs: 1000, delayMatch: firstRead });
    const applying = applyChangePlan(t.app, actor, plan.id);
    await expect.poll(() => delayed).toBe(true);
    expect(sim.state.safeMode.held).toBe(true);
    for (let i = 0; i < SAFE_MODE_HISTORY_LIMIT + 1; i++)
      sim.state.add('/ip/firewall/address-list', { list: 'busy', address: `10.9.0.${i}` }, { history: true });
    expect(sim.state.safeMode.held).toBe(false);
    sim.faults.set({ failNthWrite: { nth: 3, message: 'failure: simulated fault' } });
    const outcome = await applying;
    expect(outcome.status).toBe('rolled_back');
    expect(wiring()).toEqual(before);
    const safety = await auditedSafety(plan.id, 'change_plan.rolled_back');
    expect(safety).toMatchObject({ mode: 'safe-mode', undoneBy: 'inverse-ops' });
    expect(safety?.note).toMatch(/still differed \(\/radius is not as it was; \/radius\/incoming/);
  });

  it('aborts without touching the router while another session holds safe mode', async () => {
    const { actor, plan } = await approvedPlan();
    const before = wiring();
    other = await secondSession();
    expect(await other.takeSafeMode()).toEqual({ taken: true });
    const outcome = await applyChangePlan(t.app, actor, plan.id);
    expect(outcome.status).toBe('aborted');
    expect(outcome.error).toMatch(/Another session holds safe mode/);
    expect(wiring()).toEqual(before);
    expect(await auditedSafety(plan.id, 'change_plan.aborted')).toEqual({ mode: 'safe-mode' });
  });

  it(`applies plans of more than ${SAFE_MODE_MAX_OPS} operations with inverse operations instead`, async () => {
    const started = await startPlanRouter(t);
    sim = started.sim;
    addRows(sim.state, '/ip/hotspot/profile', SAFE_MODE_MAX_OPS, (i) => ({ name: `zone-${i}` }));
    const { plan } = await proposeRadiusWiring(t.app, started.actor, started.router.id, {
      radiusAddress: '192.0.2.61',
    });
    if (!plan) throw new Error('expected a plan');
    await decidePlan(t.app, started.actor, plan.id, 'approve');
    const done = await applyChangePlan(t.app, started.actor, plan.id);
    expect(done.status).toBe('applied');
    expect(done.operations.safety?.mode).toBe('inverse-ops');
    expect(done.operations.safety?.fallback).toMatch(/more than Kasi applies under safe mode \(50\)/);
  });
});

describe.each(['6.49', '7.17'] as const)(
  'change plans on RouterOS %s (no safe mode in the API)',
  (version) => {
    it('rolls back a failed apply with the inverse operations and says why safe mode was not used', async () => {
      const { actor, plan } = await approvedPlan(version);
      const before = wiring();
      sim.faults.set({ failNthWrite: { nth: 3, message: 'failure: simulated fault' } });
      const outcome = await applyChangePlan(t.app, actor, plan.id);
      expect(outcome.status).toBe('rolled_back');
      expect(wiring()).toEqual(before);
      const safety = await auditedSafety(plan.id, 'change_plan.rolled_back');
      expect(safety).toMatchObject({ mode: 'inverse-ops', undoneBy: 'inverse-ops' });
      expect(safety?.fallback).toContain(`RouterOS ${version}`);
      expect(outcome.operations.safety).toEqual(safety);
    });
  },
);
