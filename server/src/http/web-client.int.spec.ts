// The web app's own tRPC client (web/src/lib/rpc, ADR 0035) against the real HTTP server on
// a real database: calls of one tick share a request, money crosses as exact bigints both
// ways, each call of a batch settles on its own, big batches are split under the server's
// cap, and errors carry the server's typed data — or none when no answer came.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, isApiError, MAX_BATCH_CALLS } from '../../../web/src/lib/rpc/client.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createHttpServer, MAX_BATCH_CALLS as SERVER_BATCH_CAP } from './http-server.ts';

let t: TestApp;
let server: Server;
let base: string;
let owner: { ownerEmail: string; ownerPassword: string };

beforeAll(async () => {
  t = await createTestApp();
  server = createHttpServer(t.app, tmpdir());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  owner = await t.newTenant();
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

/** A browser's part: one cookie jar, and a log of the requests the client made. */
function browser() {
  let cookie = '';
  const requests: string[] = [];
  const send: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    const headers = { ...(init?.headers as Record<string, string>), ...(cookie && { cookie }) };
    const res = await fetch(url, { ...init, headers });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('kasi_session='));
    if (set) cookie = set.split(';')[0] ?? '';
    return res;
  };
  return { api: createApiClient(`${base}/trpc`, send), requests };
}

async function signedIn() {
  const b = browser();
  await b.api.auth.login.mutate({ email: owner.ownerEmail, password: owner.ownerPassword });
  b.requests.length = 0;
  return b;
}

const plan = (priceMinor: bigint) => ({
  name: `Day ${Math.random()}`,
  downloadBps: 5_000_000,
  uploadBps: 1_000_000,
  validitySeconds: 86_400,
  priceMinor,
  currency: 'KES',
});

describe('the web app’s tRPC client', () => {
  it('signs in, and sends the calls of one tick as one request', async () => {
    const { api, requests } = browser();
    const session = await api.auth.login.mutate({ email: owner.ownerEmail, password: owner.ownerPassword });
    expect(session.email).toBe(owner.ownerEmail);
    expect(requests).toEqual(['POST /trpc/auth.login']);

    const [me, plans, again] = await Promise.all([
      api.auth.me.query(),
      api.plan.list.query(),
      api.auth.me.query(),
    ]);
    expect(me?.email).toBe(owner.ownerEmail);
    expect(Array.isArray(plans)).toBe(true);
    expect(again).toEqual(me);
    expect(requests.slice(1)).toEqual(['GET /trpc/auth.me,plan.list,auth.me']);
  });

  it('carries money as exact bigints both ways (beyond what a float can hold)', async () => {
    const { api } = await signedIn();
    const price = 2n ** 53n + 1n;
    const created = await api.plan.create.mutate(plan(price));
    expect(created.priceMinor).toBe(price);
    const listed = (await api.plan.list.query()).find((p) => p.id === created.id);
    expect(listed?.priceMinor).toBe(price);
    expect(listed?.createdAt).toBeInstanceOf(Date);
  });

  it('settles each call of a batch on its own, with the server’s typed error data', async () => {
    const { api, requests } = await signedIn();
    const [bad, missing, fine] = await Promise.allSettled([
      api.plan.create.mutate({ ...plan(1n), downloadBps: -1 }),
      api.plan.archive.mutate({ id: '00000000-0000-4000-8000-000000000000' }),
      api.plan.create.mutate(plan(100n)),
    ]);
    expect(requests).toEqual(['POST /trpc/plan.create,plan.archive,plan.create']);
    expect(fine.status).toBe('fulfilled');
    if (bad.status !== 'rejected' || missing.status !== 'rejected') throw new Error('expected refusals');
    expect(isApiError(bad.reason)).toBe(true);
    expect(bad.reason.data?.code).toBe('BAD_REQUEST');
    expect(bad.reason.data?.issues?.map((i: { path: string[] }) => i.path.join('.'))).toContain(
      'downloadBps',
    );
    expect(missing.reason.data?.code).toBe('NOT_FOUND');
    expect(missing.reason.data?.domain?.code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
  });

  it(`splits a tick of more than ${MAX_BATCH_CALLS} calls under the server's cap`, async () => {
    expect(MAX_BATCH_CALLS).toBe(SERVER_BATCH_CAP);
    const { api, requests } = await signedIn();
    const answers = await Promise.all(Array.from({ length: 25 }, () => api.auth.me.query()));
    expect(answers.every((a) => a?.email === owner.ownerEmail)).toBe(true);
    expect(requests.map((r) => r.split(',').length)).toEqual([20, 5]);
  });

  it('says "no answer" (no error data) when the server cannot be reached', async () => {
    const closed = createApiClient('http://127.0.0.1:9/trpc');
    const e = await closed.auth.me.query().catch((err: unknown) => err);
    expect(isApiError(e)).toBe(true);
    expect(isApiError(e) && e.data).toBeUndefined();
  });
});
