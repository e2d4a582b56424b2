// For change plan tests: an emulated router (given RouterOS release) registered for a new
// tenant through the real services, with a second operator to approve plans.
import { eq } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { startRouterOsSim, type RouterOsSim, type RouterOsVersion } from '@kasi/routeros-sim';
import type { Actor } from '../app-context.ts';
import type { TestApp } from '../testing/test-app.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { createRouter } from './router.service.ts';
import { allowLoopbackRouters } from './router-address.testing.ts';

export const ROUTER_PASSWORD = 'router-api-pass-9';

// RADIUS clients are unique by address across tenants: each router gets its own 127.0.0.x.
let nextHost = 10;

export interface PlanRouterOptions {
  version?: RouterOsVersion;
  twoPerson?: boolean;
}

export async function startPlanRouter(t: TestApp, opts: PlanRouterOptions = {}) {
  const host = `127.0.0.${nextHost++}`;
  const sim: RouterOsSim = await startRouterOsSim({
    host,
    version: opts.version ?? '7.18',
    identity: 'tower-1',
    users: [{ name: 'kasi', password: ROUTER_PASSWORD, group: 'full' }],
  });
  const { actor } = await t.newTenant();
  await allowLoopbackRouters(t.app, actor);
  if (opts.twoPerson)
    await t.app.db
      .update(tenants)
      .set({ settings: { twoPersonApproval: true } })
      .where(eq(tenants.id, actor.tenantId));
  const second = await addMember(t.app.db, {
    tenantId: actor.tenantId,
    email: `op-${actor.tenantId}@x.test`,
    name: 'Op',
    password: 'second operator pw',
    role: 'operator',
  });
  const approver: Actor = { ...actor, userId: second.id, label: second.email, role: 'operator' };
  const router = await createRouter(t.app, actor, {
    name: 'tower-1',
    host,
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: ROUTER_PASSWORD,
  });
  return { sim, actor, approver, router };
}
