// "Buy now" from the hotspot login page: /h/<token>/buy lists the plans sold online, and the
// chosen one becomes a buy-plan pay link carrying the router, the device's MAC and IP.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hotspotPageBundles, payLinks } from '@kasi/db';
import type { RouterOsSim } from '@kasi/routeros-sim';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startPlanRouter } from '../routers/plan-router.fixture.ts';
import { createPlan } from '../plans/plan.service.ts';
import { hashToken } from '../auth/session-store.ts';
import { hotspotPageHandler } from './hotspot-page.route.ts';

let t: TestApp;
let sim: RouterOsSim;
let http: Server;
let base = '';
let token = '';
let routerId = '';
let dayPlan = '';

beforeAll(async () => {
  t = await createTestApp();
  const started = await startPlanRouter(t);
  sim = started.sim;
  routerId = started.router.id;
  const plan = (audience: 'voucher' | 'subscriber', name: string, priceMinor: bigint) =>
    createPlan(t.app, started.actor, {
      name,
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      priceMinor,
      currency: 'KES',
      audience,
      validitySeconds: 86_400,
    });
  dayPlan = (await plan('voucher', 'Day pass', 5_000n)).id;
  await plan('subscriber', 'Home 10M', 200_000n);
  token = randomBytes(24).toString('base64url');
  await t.app.db.insert(hotspotPageBundles).values({
    tenantId: started.actor.tenantId,
    routerId,
    tokenHash: hashToken(token),
    directory: 'flash/kasi-test',
    files: { 'login.html': '<!doctype html>' },
  });
  const handler = hotspotPageHandler(t.app);
  http = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => http.close(() => r()));
  await sim?.close();
  await t.close();
});

describe('buy now on the hotspot login page', () => {
  it('lists the plans sold online, then sends the buyer to a pay link for this device', async () => {
    const device = new URLSearchParams({
      mac: 'aa-bb-cc-00-11-22',
      ip: '10.5.50.7',
      dst: 'http://example.com/',
    });
    const page = await fetch(`${base}/h/${token}/buy?${device.toString()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const html = await page.text();
    expect(html).toContain('Day pass');
    expect(html).toContain('50.00 KES');
    expect(html).not.toContain('Home 10M');

    const href = /href="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    const chosen = await fetch(`${base}${href}`, { redirect: 'manual' });
    expect(chosen.status).toBe(303);
    const payUrl = new URL(chosen.headers.get('location')!);
    expect(payUrl.pathname).toMatch(/^\/p\/[A-Za-z0-9_-]{20,}$/);

    const [link] = await t.app.db
      .select()
      .from(payLinks)
      .where(eq(payLinks.tokenHash, hashToken(payUrl.pathname.slice(3))));
    expect(link).toMatchObject({
      kind: 'plan',
      planId: dayPlan,
      routerId,
      clientMac: 'AA:BB:CC:00:11:22',
      clientIp: '10.5.50.7',
    });
  });

  it('refuses a plan that is not sold online or a malformed device address with a plain 400', async () => {
    const bad = await fetch(`${base}/h/${token}/buy?plan=${dayPlan}&mac=not-a-mac&ip=10.5.50.7`, {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/mac/);
    const unknown = await fetch(`${base}/h/${token}/buy?plan=00000000-0000-4000-8000-000000000000`, {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/planId/);
  });

  it('answers an unknown install token with the same 404 as any unknown path', async () => {
    const r = await fetch(`${base}/h/${randomBytes(24).toString('base64url')}/buy`);
    expect(r.status).toBe(404);
  });
});
