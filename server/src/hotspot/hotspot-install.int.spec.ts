// Installing the hotspot login page on an emulated router over the binary API: the plan's
// preview, approval, the real /tool/fetch from Kasi's /h/ route with the checksum check, the
// html-directory switch and walled garden, and roll back to the previous html-directory.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, hotspotPageBundles } from '@kasi/db';
import type { RouterOsSim } from '@kasi/routeros-sim';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { applyChangePlan, decidePlan, rollbackChangePlan } from '../routers/change-plan.service.ts';
import { startPlanRouter } from '../routers/plan-router.fixture.ts';
import { MASK } from '../routers/sealed-values.ts';
import { proposeHotspotInstall } from './hotspot-install.service.ts';
import { hotspotPageHandler } from './hotspot-page.route.ts';

let t: TestApp;
let sim: RouterOsSim;
let http: Server;
let kasiUrl = '';
const served: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const handler = hotspotPageHandler(t.app);
  http = createServer((req, res) => {
    served.push(req.url ?? '');
    void handler(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  kasiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => http.close(() => r()));
  await t.close();
});
afterEach(async () => {
  await sim?.close();
});

const directories = () => sim.state.rows('/ip/hotspot/profile').map((r) => r['html-directory']);

describe('installing the hotspot login page as a change plan', () => {
  it('previews, applies after approval (files fetched and checked) and rolls back', async () => {
    const started = await startPlanRouter(t, { twoPerson: true });
    sim = started.sim;
    const { actor, approver, router } = started;
    const before = directories();
    const proposed = await proposeHotspotInstall(t.app, actor, { routerId: router.id, kasiUrl });
    expect(proposed.upToDate).toBe(false);
    const plan = proposed.plan!;
    expect(plan.title).toBe('Install the hotspot login page');
    const body = plan.operations as {
      ops: Array<{ path: string; kind: string }>;
      fetches: Array<{ url: string; dstPath: string }>;
    };
    // The preview names the files but not the token in their URL.
    expect(body.fetches.map((f) => f.dstPath.split('/').at(-1)).sort()).toEqual([
      'alogin.html',
      'error.html',
      'login.html',
      'logout.html',
      'md5.js',
      'redirect.html',
      'rlogin.html',
      'status.html',
    ]);
    expect(body.fetches.every((f) => f.url === MASK)).toBe(true);
    expect(body.ops.map((o) => `${o.kind} ${o.path}`)).toEqual([
      'set /ip/hotspot/profile',
      'set /ip/hotspot/profile',
      'add /ip/hotspot/walled-garden',
      'add /ip/hotspot/walled-garden/ip',
    ]);
    expect(sim.state.rows('/file')).toEqual([]);

    await expect(applyChangePlan(t.app, actor, plan.id)).rejects.toThrow(/no longer approved/);
    await decidePlan(t.app, approver, plan.id, 'approve');
    const applied = await applyChangePlan(t.app, actor, plan.id);
    expect(applied.status).toBe('applied');

    const directory = body.fetches[0]!.dstPath.replace(/\/[^/]+$/, '');
    expect(directories()).toEqual([directory, directory]);
    const login = sim.state.rows('/file').find((f) => f.name === `${directory}/login.html`);
    expect(login?.contents).toContain('$(link-login-only)');
    expect(served.filter((u) => u.startsWith('/h/')).length).toBe(8);
    expect(sim.state.rows('/ip/hotspot/walled-garden')).toEqual([
      expect.objectContaining({ 'dst-host': '127.0.0.1', action: 'allow', comment: 'kasi' }),
    ]);
    expect(sim.state.rows('/ip/hotspot/walled-garden/ip')).toHaveLength(1);

    const rolledBack = await rollbackChangePlan(t.app, actor, plan.id);
    expect(rolledBack.status).toBe('rolled_back');
    expect(directories()).toEqual(before);
    expect(sim.state.rows('/ip/hotspot/walled-garden')).toEqual([]);
    expect(sim.state.rows('/ip/hotspot/walled-garden/ip')).toEqual([]);
    const actions = (await t.app.db.select().from(auditLog).where(eq(auditLog.entityId, plan.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'change_plan.propose',
        'change_plan.approved',
        'change_plan.applied',
        'change_plan.rolled_back',
      ]),
    );
  });

  it('aborts with nothing changed when a file on the router fails the checksum', async () => {
    const started = await startPlanRouter(t, { version: '6.49' });
    sim = started.sim;
    const { actor, approver, router } = started;
    const before = directories();
    const { plan } = await proposeHotspotInstall(t.app, actor, { routerId: router.id, kasiUrl });
    // What Kasi serves no longer matches what the plan promised.
    const [bundle] = await t.app.db
      .select()
      .from(hotspotPageBundles)
      .where(eq(hotspotPageBundles.routerId, router.id));
    await t.app.db
      .update(hotspotPageBundles)
      .set({ files: { ...bundle!.files, 'error.html': '<p>tampered</p>' } })
      .where(eq(hotspotPageBundles.id, bundle!.id));
    await decidePlan(t.app, approver, plan!.id, 'approve');
    const outcome = await applyChangePlan(t.app, actor, plan!.id);
    expect(outcome.status).toBe('aborted');
    expect(outcome.error).toMatch(/Checksum check: .*error\.html/);
    expect(directories()).toEqual(before);
    expect(sim.state.rows('/ip/hotspot/walled-garden')).toEqual([]);
  });

  it('puts the pages under flash/ on a router that has it (RAM files vanish on reboot)', async () => {
    const started = await startPlanRouter(t);
    sim = started.sim;
    sim.state.add('/file', { name: 'flash', type: 'disk' });
    const { plan } = await proposeHotspotInstall(t.app, started.actor, {
      routerId: started.router.id,
      kasiUrl,
    });
    const body = plan!.operations as { fetches: Array<{ dstPath: string }> };
    expect(body.fetches[0]?.dstPath).toMatch(/^flash\/kasi-hotspot-[0-9a-f]{10}\/[a-z]+\.(html|js)$/);
  });

  it('keeps the bundle token secret: only its hash is stored, unknown tokens get 404', async () => {
    const started = await startPlanRouter(t);
    sim = started.sim;
    const { plan } = await proposeHotspotInstall(t.app, started.actor, {
      routerId: started.router.id,
      kasiUrl,
    });
    expect(JSON.stringify(plan)).not.toMatch(/\/h\/[A-Za-z0-9_-]{20,}/);
    const res = await fetch(`${kasiUrl}/h/${'x'.repeat(32)}/login.html`);
    expect(res.status).toBe(404);
  });
});
