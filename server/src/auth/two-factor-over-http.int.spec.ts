// The two sign-in steps over real HTTP: the password step answers with a typed refusal and
// a challenge cookie (no session cookie); the second step turns that cookie into a session.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createHttpServer } from '../http/http-server.ts';
import { confirmTwoFactor, startTwoFactor } from './two-factor.service.ts';

let t: TestApp;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  server = createHttpServer(t.app, tmpdir());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

const post = (path: string, body: unknown, cookie = '') =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
    body: JSON.stringify({ json: body }),
  });

const cookiePair = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

describe('two-step sign-in over HTTP', () => {
  it('sets only a challenge cookie after the password, and a session cookie after the code', async () => {
    const { actor, ownerEmail, ownerPassword } = await t.newTenant();
    const { secret } = await startTwoFactor(t.app, actor);
    await confirmTwoFactor(t.app, actor, { code: await generate({ secret }) });

    const first = await post('auth.login', { email: ownerEmail, password: ownerPassword });
    expect(first.status).toBe(401);
    const body = (await first.json()) as { error: { json: { data: { domain: { code: string } } } } };
    expect(body.error.json.data.domain.code).toBe('AUTH.SECOND_FACTOR_REQUIRED');
    expect(cookiePair(first, 'kasi_session')).toBeUndefined();
    const challenge = cookiePair(first, 'kasi_login_challenge');
    expect(challenge).toBeDefined();

    const me = await fetch(`${base}/trpc/auth.me`, { headers: { cookie: challenge ?? '' } });
    expect(((await me.json()) as { result: { data: { json: unknown } } }).result.data.json).toBeNull();

    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const second = await post('auth.secondStep', { code }, challenge);
    expect(second.status).toBe(200);
    const session = cookiePair(second, 'kasi_session');
    expect(session).toBeDefined();
    const signedIn = await fetch(`${base}/trpc/auth.me`, { headers: { cookie: session ?? '' } });
    expect(JSON.stringify(await signedIn.json())).toContain(ownerEmail);
  });
});
