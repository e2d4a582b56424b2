// The first-run demo: its tenant can onboard the demo's emulated MikroTik on 127.0.0.1,
// which the default router address rule refuses as loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { tenants, users, vouchers, withTenantLookup } from '@kasi/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createRouter, testRouter } from '../routers/router.service.ts';
import { DEMO_ROUTER_CIDRS, seedDemo, type DemoCredentials } from './demo-seed.ts';
import { startDemoNetwork, type DemoNetwork } from './demo-router.ts';

let t: TestApp;
let dir: string;
let network: DemoNetwork;
let demo: DemoCredentials;

beforeAll(async () => {
  t = await createTestApp();
  demo = await withTenantLookup(() => seedDemo(t.app));
  dir = await mkdtemp(join(tmpdir(), 'kasi-demo-'));
  network = await startDemoNetwork(dir, 0);
});
afterAll(async () => {
  await network?.router.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await t.close();
});

describe('demo seed', () => {
  it('lets the demo tenant onboard the demo router on 127.0.0.1, and only that loopback address', async () => {
    const [tenant] = await t.app.db.select().from(tenants).where(eq(tenants.slug, 'demo'));
    const [owner] = await t.app.db.select().from(users).where(eq(users.email, demo.email));
    if (!tenant || !owner) throw new Error('expected the demo tenant and its owner');
    expect(tenant.routerAllowedCidrs).toEqual(DEMO_ROUTER_CIDRS);
    const actor: Actor = {
      tenantId: tenant.id,
      userId: owner.id,
      label: demo.email,
      role: 'owner',
      requestId: null,
    };
    const input = {
      name: 'demo',
      host: '127.0.0.1',
      port: network.router.port,
      tls: false,
      allowPlain: true,
      username: network.router.credentials.user,
      password: network.router.credentials.password,
    };
    const router = await createRouter(t.app, actor, input);
    expect(await testRouter(t.app, actor, router.id)).toMatchObject({ ok: true, identity: 'kasi-demo' });
    await expect(
      createRouter(t.app, actor, { ...input, name: 'other', host: '127.0.0.2' }),
    ).rejects.toMatchObject({
      code: 'ROUTER.ADDRESS_NOT_ALLOWED',
    });
    await expect(
      createRouter(t.app, actor, { ...input, name: 'lan', host: '192.168.88.1' }),
    ).resolves.toBeTruthy();
  });

  it('keeps the code the first-run banner offers out of stock, held for tests', async () => {
    const rows = await t.app.db
      .select({ code: vouchers.code, channel: vouchers.channel })
      .from(vouchers)
      .innerJoin(tenants, eq(tenants.id, vouchers.tenantId))
      .where(eq(tenants.slug, 'demo'));
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.channel === 'held').map((r) => r.code)).toEqual([demo.testCode]);
    expect(rows.filter((r) => r.channel === 'stock')).toHaveLength(19);
  });
});
