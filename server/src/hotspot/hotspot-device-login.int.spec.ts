// After "buy now" is paid the device gets online without typing (ADR 0024): a device that came
// with its router's login address is sent back there by the paid page (the router's page then
// logs in with a fresh CHAP challenge) and the API login waits a minute as a safety net; a
// device without one is logged in at once over the router's API (`/ip/hotspot/active/login`,
// the emulated router, whose check stands in for RADIUS). M-Pesa through the fake at the
// provider edge, the webhook through the real inbox and `payment.apply` job.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, hotspotPageBundles, payLinks, withTenantLookup } from '@kasi/db';
import { startRouterOsSim, type HotspotLoginAttempt, type RouterOsSim } from '@kasi/routeros-sim';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createRouter } from '../routers/router.service.ts';
import { allowLoopbackRouters } from '../routers/router-address.testing.ts';
import { hashToken } from '../auth/session-store.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { jobsIn, untilFinished } from '../jobs/job.testing.ts';
import { startFromLink } from '../payments/payment-attempt.service.ts';
import { issuedCodeForAttempt } from '../payments/plan-purchase.ts';
import { paymentRoutes } from '../payments/payment-routes.ts';
import {
  applyPayments,
  paymentDeps,
  paymentWorld,
  startHooksServer,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from '../payments/payment.testing.ts';
import { hotspotPageHandler } from './hotspot-page.route.ts';
import {
  hotspotLoginHandler,
  hotspotLoginJob,
  loginBoughtDevice,
  PAGE_LOGIN_GRACE_MS,
} from './hotspot-login.job.ts';

let t: TestApp;
let fakes: PaymentFakes;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let w: PaymentWorld;
let sim: RouterOsSim;
let server: Server;
let base = '';
let token = '';
let planId = '';
const routerChecks: HotspotLoginAttempt[] = [];
const issuedCodes = new Set<string>();

beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await paymentWorld(t, deps);
  await allowLoopbackRouters(t.app, w.actor);
  sim = await startRouterOsSim({
    host: '127.0.0.90',
    users: [{ name: 'kasi', password: 'router-api-pass-9', group: 'full' }],
  });
  // The router's check of a login (RADIUS in production): the code must be one Kasi issued.
  sim.state.hotspotAuthenticator = async (a) => {
    routerChecks.push(a);
    return issuedCodes.has(a.user) && a.password === a.user ? null : 'invalid username or password';
  };
  const router = await createRouter(t.app, w.actor, {
    name: 'tower-1',
    host: '127.0.0.90',
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: 'router-api-pass-9',
  });
  planId = (
    await createPlan(t.app, w.actor, {
      name: 'Day pass',
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      priceMinor: 5_000n,
      currency: 'KES',
      audience: 'voucher',
      validitySeconds: 86_400,
    })
  ).id;
  token = randomBytes(24).toString('base64url');
  await t.app.db.insert(hotspotPageBundles).values({
    tenantId: w.actor.tenantId,
    routerId: router.id,
    tokenHash: hashToken(token),
    directory: 'flash/kasi-test',
    files: { 'login.html': '<!doctype html>' },
  });
  const hotspot = hotspotPageHandler(t.app);
  const pay = paymentRoutes(deps);
  server = createServer((req, res) => {
    if (req.url?.startsWith('/h/')) void hotspot(req, res);
    else void withTenantLookup(() => pay.handle(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await sim?.close();
  await hooks.close();
  await fakes.close();
  await t.close();
});

/** "Buy now" from the login page of a device, as the page's link carries it; the pay link's path. */
async function buyNow(device: Record<string, string>): Promise<string> {
  const q = new URLSearchParams({ plan: planId, dst: 'http://example.com/', ...device });
  const r = await fetch(`${base}/h/${token}/buy?${q.toString()}`, { redirect: 'manual' });
  expect(r.status).toBe(303);
  return new URL(r.headers.get('location')!).pathname;
}

const linkOf = async (path: string) =>
  (
    await t.app.db
      .select()
      .from(payLinks)
      .where(eq(payLinks.tokenHash, hashToken(path.slice(3))))
  )[0]!;

/** Pays the link with M-Pesa (the fake's callback through the inbox and job); the attempt id. */
async function payWithMpesa(path: string): Promise<string> {
  fakes.daraja.setNextOutcome(0);
  const { attemptId, started } = await startFromLink(w.deps, {
    token: path.slice(3),
    gateway: 'mpesa',
    phone: '0712345678',
  });
  const body = fakes.daraja.callbackBody(started.providerRef, 0, {
    receipt: `RKT${randomBytes(4).toString('hex').toUpperCase()}`,
  });
  expect((await hooks.post(w.hookUrls.stk, body)).status).toBe(200);
  await applyPayments(
    w.deps,
    w.actor.tenantId,
    (await jobsIn(await t.app.jobs.boss(), 'payment.apply', { tenantId: w.actor.tenantId })).length,
  );
  const issued = await issuedCodeForAttempt(t.app.db, w.actor.tenantId, attemptId);
  expect(issued).not.toBeNull();
  issuedCodes.add(issued!.code);
  return attemptId;
}

const loginJobs = async (attemptId: string) =>
  jobsIn(await t.app.jobs.boss(), hotspotLoginJob.name, { tenantId: w.actor.tenantId, attemptId });

describe('after "buy now" is paid', () => {
  it('logs a device that gave no login address in over the router API, at once', async () => {
    const path = await buyNow({ mac: 'a4:5e:60:11:22:31', ip: '10.5.50.31' });
    expect(await linkOf(path)).toMatchObject({ clientMac: 'A4:5E:60:11:22:31', clientLoginUrl: null });
    const attemptId = await payWithMpesa(path);
    const [queued] = await loginJobs(attemptId);
    expect(queued).toBeDefined();
    expect(queued!.startAfter.getTime()).toBeLessThan(Date.now() + 5_000);

    const workers = await startWorkers(t.app.jobs, [hotspotLoginHandler(t.app)], t.app.log);
    try {
      const [done] = await untilFinished(await t.app.jobs.boss(), hotspotLoginJob.name, {
        match: { tenantId: w.actor.tenantId, attemptId },
      });
      expect(done).toMatchObject({ state: 'completed' });
    } finally {
      await workers.stop();
    }
    const code = (await issuedCodeForAttempt(t.app.db, w.actor.tenantId, attemptId))!.code;
    expect(sim.state.rows('/ip/hotspot/active')).toContainEqual(
      expect.objectContaining({ user: code, address: '10.5.50.31', 'mac-address': 'A4:5E:60:11:22:31' }),
    );
    expect(routerChecks.at(-1)).toEqual({
      user: code,
      password: code,
      ip: '10.5.50.31',
      macAddress: 'A4:5E:60:11:22:31',
    });
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.actor.tenantId), eq(auditLog.action, 'hotspot.device_login')));
    expect(audit).toMatchObject({ entityId: attemptId, actor: 'hotspot buy now' });
    expect(audit?.after).toMatchObject({ outcome: 'logged_in', ip: '10.5.50.31' });
    // The job's data names the attempt only: no code or MAC in pg-boss's tables.
    expect(Object.keys(queued!.data as object).sort()).toEqual(['attemptId', 'tenantId']);

    // The paid page says so, and still offers the code and "log in now".
    const paid = await (await fetch(`${base}${path}/a/${attemptId}`)).text();
    expect(paid).toContain('This device is being connected now.');
    expect(paid).toContain(`data-testid="voucher-code">${code}<`);
    expect(paid).not.toContain('data-auto-login');

    // A second run (pg-boss may run a job twice) finds the device logged in: done, nothing else.
    await expect(loginBoughtDevice(t.app, w.actor.tenantId, attemptId)).resolves.toMatchObject({
      outcome: 'already_logged_in',
    });
    expect(sim.state.rows('/ip/hotspot/active').filter((r) => r.address === '10.5.50.31')).toHaveLength(1);
  });

  it('sends a device with its router login address back there, the API login a minute later', async () => {
    const path = await buyNow({
      mac: 'A4:5E:60:11:22:32',
      ip: '10.5.50.32',
      login: 'http://10.5.50.1/login',
    });
    expect(await linkOf(path)).toMatchObject({ clientLoginUrl: 'http://10.5.50.1/login' });
    const attemptId = await payWithMpesa(path);
    const code = (await issuedCodeForAttempt(t.app.db, w.actor.tenantId, attemptId))!.code;

    const paid = await (await fetch(`${base}${path}/a/${attemptId}`)).text();
    const back = `http://10.5.50.1/login?username=${code}`;
    expect(paid).toContain(`href="${back}" data-testid="login-now" data-auto-login="3"`);
    expect(paid).toContain(`<noscript><meta http-equiv="refresh" content="3; url=${back}"></noscript>`);
    expect(paid).toContain('Connecting this device');
    // The link page shown again later does not send the device anywhere by itself.
    const again = await (await fetch(`${base}${path}`)).text();
    expect(again).toContain(code);
    expect(again).not.toContain('data-auto-login');

    const [queued] = await loginJobs(attemptId);
    expect(queued!.startAfter.getTime()).toBeGreaterThan(Date.now() + PAGE_LOGIN_GRACE_MS - 15_000);
    // The page got there first (the router's page logged in): the safety net finds it done.
    sim.state.add('/ip/hotspot/active', {
      user: code,
      address: '10.5.50.32',
      'mac-address': 'A4:5E:60:11:22:32',
    });
    await expect(loginBoughtDevice(t.app, w.actor.tenantId, attemptId)).resolves.toMatchObject({
      outcome: 'already_logged_in',
    });
  });

  it('drops a login address that is not a hotspot’s, and queues nothing for a link without a device', async () => {
    const path = await buyNow({
      mac: 'A4:5E:60:11:22:33',
      ip: '10.5.50.33',
      login: 'https://collect.example/login',
    });
    expect(await linkOf(path)).toMatchObject({ clientLoginUrl: null });
    const attemptId = await payWithMpesa(path);
    const [queued] = await loginJobs(attemptId);
    expect(queued!.startAfter.getTime()).toBeLessThan(Date.now() + 5_000);
    const paid = await (await fetch(`${base}${path}/a/${attemptId}`)).text();
    expect(paid).not.toContain('collect.example');

    const bare = await buyNow({});
    const bareAttempt = await payWithMpesa(bare);
    expect(await loginJobs(bareAttempt)).toEqual([]);
    const bareLink = await linkOf(bare);
    expect(bareLink).toMatchObject({ clientMac: null, clientLoginUrl: null });
  });
});
