// The ports routers are wired to come from the running radiusd, not from an assumed 1812/1813.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { radiusServers } from '@kasi/db';
import type { RouterOsSim } from '@kasi/routeros-sim';
import { callAs, signIn } from '../testing/api-caller.ts';
import { startRadiusd } from '../testing/radiusd-process.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startPlanRouter } from '../routers/plan-router.fixture.ts';
import { radiusEndpoint } from './radius-endpoint.ts';

let t: TestApp;
let radiusd: Awaited<ReturnType<typeof startRadiusd>>;
let sim: RouterOsSim | undefined;

beforeAll(async () => {
  t = await createTestApp();
  radiusd = await startRadiusd(t.url, randomBytes(32));
}, 60_000);
afterAll(async () => {
  await radiusd.stop();
  await t.close();
});
afterEach(async () => {
  await sim?.close();
});

describe('RADIUS endpoint', () => {
  it('reads the ports the running radiusd reported, not 1812/1813', async () => {
    const { actor } = await t.newTenant();
    const rows = await t.app.db.select().from(radiusServers);
    expect(rows).toHaveLength(1);
    const endpoint = await radiusEndpoint(t.app.db, actor.tenantId);
    expect(endpoint).toMatchObject({ running: true, authPort: radiusd.port, coaPort: 3799 });
    expect(endpoint.acctPort).toBe(rows[0]?.acctPort);
    expect(endpoint.acctPort).not.toBe(1813);
    // Bound to loopback: no address a router could use until the tenant gives one.
    expect(endpoint.address).toBeNull();
  });

  it('wires a router (through the API, no ports given) to the ports radiusd listens on', async () => {
    const started = await startPlanRouter(t);
    sim = started.sim;
    const token = await signIn(t.app, started.actor.label, 'correct horse battery');
    const out = await callAs(t.app, token, 'router.proposeWiring', {
      routerId: started.router.id,
      radiusAddress: '192.0.2.53',
    });
    if (!out.ok) throw new Error(out.message);
    const plan = (
      out.data as { plan: { operations: { ops: { path: string; values: Record<string, string> }[] } } }
    ).plan;
    const add = plan.operations.ops.find((o) => o.path === '/radius');
    const [row] = await t.app.db.select().from(radiusServers);
    expect(add?.values).toMatchObject({
      'authentication-port': String(radiusd.port),
      'accounting-port': String(row?.acctPort),
    });
  });

  it('uses the tenant’s RADIUS address when the wiring names none, and says so when there is none', async () => {
    const started = await startPlanRouter(t);
    sim = started.sim;
    const token = await signIn(t.app, started.actor.label, 'correct horse battery');
    const none = await callAs(t.app, token, 'router.proposeWiring', { routerId: started.router.id });
    expect(none).toMatchObject({ ok: false, domainCode: 'ROUTER.NO_RADIUS_ADDRESS' });
    const { updateTenantSettings } = await import('../tenants/tenant.service.ts');
    await updateTenantSettings(t.app, started.actor, { radiusAddress: '198.51.100.7' });
    const out = await callAs(t.app, token, 'router.proposeWiring', { routerId: started.router.id });
    if (!out.ok) throw new Error(out.message);
    const plan = (
      out.data as { plan: { operations: { ops: { path: string; values: Record<string, string> }[] } } }
    ).plan;
    expect(plan.operations.ops.find((o) => o.path === '/radius')?.values['address']).toBe('198.51.100.7');
  });
});
