// Login throttling over real HTTP on a real database: attempts are counted before the
// password hash, so concurrency, batching and made-up accounts cannot get around it.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createHttpServer } from '../http/http-server.ts';

let t: TestApp;
let behindProxy: { server: Server; base: string };
let direct: { server: Server; base: string };

async function listen(server: Server) {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  t = await createTestApp();
  behindProxy = await listen(createHttpServer(t.app, tmpdir(), {}, { trustedProxies: ['127.0.0.1/32'] }));
  direct = await listen(createHttpServer(t.app, tmpdir()));
});
afterAll(async () => {
  await new Promise((r) => behindProxy.server.close(r));
  await new Promise((r) => direct.server.close(r));
  await t.close();
});

const post = (base: string, path: string, body: unknown, from?: string) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify(body),
  });

const loginAs = (email: string, password: string, from: string, base = behindProxy.base) =>
  post(base, 'auth.login', { json: { email, password } }, from);

async function domainCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { json?: { data?: { domain?: { code?: string } } } } };
  return body.error?.json?.data?.domain?.code;
}

describe('login throttling over HTTP', () => {
  it('checks at most the limit of 40 concurrent wrong passwords and then refuses the right one with Retry-After', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => loginAs(ownerEmail, 'wrong password', '198.51.100.7')),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);

    const right = await loginAs(ownerEmail, ownerPassword, '198.51.100.7');
    expect(right.status).toBe(429);
    expect(await domainCode(right)).toBe('AUTH.TOO_MANY_ATTEMPTS');
    const retryAfter = Number(right.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('refuses a batch that carries auth.login calls without checking any password', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    const input = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [i, { json: { email: ownerEmail, password: `guess ${i}` } }]),
    );
    const path = Array.from({ length: 6 }, () => 'auth.login').join(',');
    const res = await post(behindProxy.base, `${path}?batch=1`, input, '198.51.100.8');
    expect(res.status).toBe(400);
    // No attempt was spent: the owner still logs in from that address.
    expect((await loginAs(ownerEmail, ownerPassword, '198.51.100.8')).status).toBe(200);
  });

  it('caps the number of calls in one batch', async () => {
    const path = Array.from({ length: 100 }, () => 'auth.me').join(',');
    const res = await fetch(`${behindProxy.base}/trpc/${path}?batch=1&input=%7B%7D`);
    expect(res.status).toBe(400);
    const small = await fetch(`${behindProxy.base}/trpc/auth.me,auth.me?batch=1&input=%7B%7D`);
    expect(small.status).toBe(200);
  });

  it('does not lock the real owner out when another client fails on 52 made-up accounts', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    for (let i = 0; i < 52; i++) {
      const res = await loginAs(`made-up-${i}@nowhere.test`, 'guess', '203.0.113.66');
      expect([401, 429]).toContain(res.status);
    }
    const blocked = await loginAs('made-up-x@nowhere.test', 'guess', '203.0.113.66');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect((await loginAs(ownerEmail, ownerPassword, '192.0.2.10')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const { ownerEmail } = await t.newTenant();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await loginAs(ownerEmail, 'wrong', `192.0.2.${100 + i}`, direct.base)).status);
    }
    // The made-up addresses do not give fresh per-address allowances: five checks, then refused.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
