// Router hosts: the default rule refuses loopback, link-local and this server's own
// addresses when a router is saved and again at every connect (a later change of the
// tenant's ranges, or a host name that resolves elsewhere); only router.write may test.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { eq } from 'drizzle-orm';
import { auditLog, routers, tenants } from '@kasi/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { setRouterAllowedCidrs } from './router-allowed-cidrs.service.ts';
import { allowLoopbackRouters } from './router-address.testing.ts';
import { createRouter, testRouter } from './router.service.ts';

let t: TestApp;
let listener: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  t = await createTestApp();
  listener = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  port = (listener.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => listener.close(r));
  await t.close();
});

const router = (actor: Actor, host: string) =>
  createRouter(t.app, actor, {
    name: `r-${host}-${Math.random()}`,
    host,
    port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: 'router-pass-1',
  });

const asOperator = (actor: Actor): Actor => ({ ...actor, userId: null, label: 'cli' });

describe('router addresses (default rule)', () => {
  it('refuses loopback, link-local and unspecified hosts when a router is saved', async () => {
    const { actor } = await t.newTenant();
    for (const [host, reason] of [
      ['127.0.0.1', 'loopback'],
      ['169.254.169.254', 'link-local'],
      ['0.0.0.0', 'unspecified'],
    ] as const) {
      await expect(router(actor, host), host).rejects.toMatchObject({
        code: 'ROUTER.ADDRESS_NOT_ALLOWED',
        details: { reason },
      });
    }
    expect(await t.app.db.select().from(routers).where(eq(routers.tenantId, actor.tenantId))).toEqual([]);
  });

  it('accepts private and public addresses', async () => {
    const { actor } = await t.newTenant();
    await expect(router(actor, '192.168.88.1')).resolves.toMatchObject({ host: '192.168.88.1' });
    await expect(router(actor, '203.0.113.9')).resolves.toMatchObject({ host: '203.0.113.9' });
  });

  it('checks again at connect time: a narrowed rule refuses without connecting', async () => {
    const { actor } = await t.newTenant();
    await allowLoopbackRouters(t.app, actor);
    const r = await router(actor, '127.0.0.1');
    await setRouterAllowedCidrs(t.app, asOperator(actor), []);
    const before = connections;
    const probe = await testRouter(t.app, actor, r.id);
    expect(probe).toMatchObject({ ok: false, code: 'ROUTER.ADDRESS_NOT_ALLOWED' });
    expect(probe.health.error).toContain('loopback');
    expect(connections).toBe(before);
  });

  it('resolves a host name and refuses it when any address it resolves to is refused', async () => {
    const { actor } = await t.newTenant();
    const r = await router(actor, '192.168.88.2');
    // The API accepts IP addresses only; a name could come from an older row or a future import.
    await t.app.db.update(routers).set({ host: 'localhost' }).where(eq(routers.id, r.id));
    const before = connections;
    const probe = await testRouter(t.app, actor, r.id);
    expect(probe).toMatchObject({
      ok: false,
      code: 'ROUTER.ADDRESS_NOT_ALLOWED',
      message: expect.stringMatching(/^localhost \(/),
    });
    expect(connections).toBe(before);
  });

  it('connects when the tenant allows the loopback range', async () => {
    const { actor } = await t.newTenant();
    await allowLoopbackRouters(t.app, actor);
    const r = await router(actor, '127.0.0.1');
    const before = connections;
    const probe = await testRouter(t.app, actor, r.id);
    expect(probe.ok).toBe(false);
    expect(connections).toBeGreaterThan(before);
  });
});

describe('router address ranges (tenant setting)', () => {
  it('limits routers to the listed ranges', async () => {
    const { actor } = await t.newTenant();
    await setRouterAllowedCidrs(t.app, asOperator(actor), ['10.20.0.0/16']);
    await expect(router(actor, '10.20.1.1')).resolves.toMatchObject({ host: '10.20.1.1' });
    await expect(router(actor, '192.168.88.1')).rejects.toMatchObject({
      code: 'ROUTER.ADDRESS_NOT_ALLOWED',
      details: { reason: 'outside-allowed-ranges' },
    });
  });

  it('is set by the server’s operator only, validated and audited', async () => {
    const { actor } = await t.newTenant();
    await expect(setRouterAllowedCidrs(t.app, actor, ['127.0.0.0/8'])).rejects.toMatchObject({
      code: 'ROUTER.RANGES_OPERATOR_ONLY',
    });
    await expect(setRouterAllowedCidrs(t.app, asOperator(actor), ['10.0.0.1/8'])).rejects.toMatchObject({
      code: 'ROUTER.BAD_CIDR',
    });
    const set = await setRouterAllowedCidrs(t.app, asOperator(actor), [
      '10.0.0.0/8',
      ' 10.0.0.0/8',
      '::ffff:127.0.0.1',
    ]);
    expect(set).toEqual({ routerAllowedCidrs: ['10.0.0.0/8', '127.0.0.1/32'] });
    const [row] = await t.app.db.select().from(tenants).where(eq(tenants.id, actor.tenantId));
    expect(row?.routerAllowedCidrs).toEqual(['10.0.0.0/8', '127.0.0.1/32']);
    const audit = await t.app.db.select().from(auditLog).where(eq(auditLog.tenantId, actor.tenantId));
    expect(audit.map((a) => a.action)).toContain('tenant.router_allowed_cidrs');
  });
});

describe('router.test', () => {
  it('is not for viewers (it connects and writes the health record)', async () => {
    const { actor } = await t.newTenant();
    const r = await router(actor, '192.168.88.3');
    await expect(testRouter(t.app, { ...actor, role: 'viewer' }, r.id)).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    const [row] = await t.app.db.select().from(routers).where(eq(routers.id, r.id));
    expect(row?.health).toBeNull();
  });
});
