import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { selfServiceHandler } from './self-service.route.ts';
import { freshPhone, selfServiceWorld, type SelfServiceWorld } from './self-service.testing.ts';

let t: TestApp;
let w: SelfServiceWorld;
let other: SelfServiceWorld;
let server: Server;
let base = '';
beforeAll(async () => {
  t = await createTestApp();
  w = await selfServiceWorld(t);
  other = await selfServiceWorld(t);
  const handle = selfServiceHandler(t.app);
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/my/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const get = (path: string, cookie = '') => fetch(`${base}/api/my/${path}`, { headers: { cookie } });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

async function signedIn(world: SelfServiceWorld) {
  const phone = freshPhone();
  const sub = await world.subscriberWithPhone(phone);
  expect((await post('otp', { phone })).status).toBe(202);
  const res = await post('otp/verify', { phone, code: await world.lastCode(phone) });
  expect(res.status).toBe(200);
  return { ...sub, phone, cookie: cookieOf(res), setCookie: res.headers.get('set-cookie') ?? '' };
}

describe('/api/my', () => {
  it('signs a subscriber in by SMS code with a cookie of its own and shows their account only', async () => {
    const me = await signedIn(w);
    expect(me.setCookie).toMatch(/^kasi_my=[\w-]+; Path=\/api\/my; HttpOnly; SameSite=Strict; Max-Age=7200/);
    const inv = await w.invoice(me.id, 150_000n);
    const account = await get('account', me.cookie);
    expect(account.status).toBe(200);
    expect(account.headers.get('cache-control')).toBe('no-store');
    const body = (await account.json()) as {
      account: { username: string; status: string };
      balanceMinor: string;
      invoices: { id: string; payable: boolean }[];
      usage: { days: unknown[] };
      plans: unknown[];
    };
    expect(body.account).toMatchObject({ username: me.username, status: 'active' });
    expect(body.balanceMinor).toBe('150000');
    expect(body.invoices.map((i) => i.id)).toEqual([inv.id]);
    expect(body.invoices[0]!.payable).toBe(true);
    expect(body.usage.days).toHaveLength(14);
  });

  it('answers without a session, or with an operator cookie, by 401', async () => {
    expect((await get('account')).status).toBe(401);
    expect((await get('account', 'kasi_session=abcdefghijklmnopqrstuvwxyz0123456789')).status).toBe(401);
    const res = await get('account', 'kasi_my=abcdefghijklmnopqrstuvwxyz0123456789');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'MY.NO_SESSION', message: 'Please sign in' } });
  });

  it('gives an invoice PDF and a pay link for their own invoice, and 404 for anyone else’s', async () => {
    const me = await signedIn(w);
    const mine = await w.invoice(me.id, 50_000n);
    const stranger = await other.newSubscriber();
    const theirs = await other.invoice(stranger, 70_000n);
    const pdf = await get(`invoices/${mine.id}.pdf`, me.cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await get(`invoices/${theirs.id}.pdf`, me.cookie)).status).toBe(404);

    const pay = await post('pay', { invoiceId: mine.id }, { cookie: me.cookie });
    expect(pay.status).toBe(200);
    expect(((await pay.json()) as { path: string }).path).toMatch(/^\/p\/[\w-]{16,}$/);
    expect((await post('pay', { invoiceId: theirs.id }, { cookie: me.cookie })).status).toBe(404);
  });

  it('previews a plan change with the proration and refuses a plan of another tenant', async () => {
    const me = await signedIn(w);
    const faster = await createPlan(t.app, w.actor, {
      name: `Home 20M ${me.username}`,
      downloadBps: 20_000_000,
      uploadBps: 4_000_000,
      priceMinor: 400_000n,
      currency: 'KES',
      audience: 'subscriber',
    });
    const res = await post('plan/preview', { planId: faster.id }, { cookie: me.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ to: { id: faster.id, priceMinor: '400000' }, currency: 'KES' });
    const foreign = await post('plan/preview', { planId: other.planId }, { cookie: me.cookie });
    expect(foreign.status).toBe(404);
  });

  it('signs in by user name and password, and refuses a wrong password as it refuses an unknown name', async () => {
    const phone = freshPhone();
    const sub = await w.subscriberWithPhone(phone);
    const wrong = await post('password', { username: sub.username, password: 'nope' });
    const unknown = await post('password', { username: 'nobody-here', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    const ok = await post('password', { username: sub.username.toUpperCase(), password: 'secret-pass-1' });
    expect(ok.status).toBe(200);
    const account = await get('account', cookieOf(ok));
    expect(((await account.json()) as { account: { username: string } }).account.username).toBe(sub.username);
    // Sign-out ends the session on the server, not only in the browser.
    const out = await post('sign-out', {}, { cookie: cookieOf(ok) });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await get('account', cookieOf(ok))).status).toBe(401);
  });

  it('throttles asking for codes with 429 and Retry-After, the same for unknown numbers', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    const unknown = freshPhone();
    expect((await post('otp', { phone })).status).toBe(202);
    expect((await post('otp', { phone: unknown })).status).toBe(202);
    const a = await post('otp', { phone });
    const b = await post('otp', { phone: unknown });
    for (const r of [a, b]) {
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect((await a.json()).error.code).toBe((await b.json()).error.code);
  });

  it('refuses cross-origin posts, bodies that are not JSON, and a missing field by name', async () => {
    expect((await post('otp', { phone: freshPhone() }, { origin: 'https://evil.test' })).status).toBe(403);
    const form = await fetch(`${base}/api/my/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'phone=%2B254700000000',
    });
    expect(form.status).toBe(400);
    const missing = await post('otp', {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { field: string } }).error.field).toBe('phone');
  });
});
