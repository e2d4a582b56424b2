// The agent's calls over real HTTP, as the PWA makes them: cookie login, superjson bodies
// (bigint amounts), per-op answers, and domain errors mapped to stable codes.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { createHttpServer } from '../http/http-server.ts';

let t: TestApp;
let server: Server;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  server = createHttpServer(t.app, tmpdir());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

async function call(cookie: string, path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const body = JSON.stringify(superjson.serialize(input));
  const res = await fetch(
    method === 'GET' ? `${base}/${path}?input=${encodeURIComponent(body)}` : `${base}/${path}`,
    {
      method,
      headers: { 'content-type': 'application/json', cookie },
      ...(method === 'POST' && { body }),
    },
  );
  const json = (await res.json()) as { result?: { data: never }; error?: never };
  const error = json.error
    ? superjson.deserialize<{ data: { domain: { code: string } | null } }>(json.error)
    : null;
  return {
    status: res.status,
    data: json.result ? superjson.deserialize<Record<string, unknown>>(json.result.data) : null,
    error: error?.data.domain?.code ?? null,
  };
}

describe('sync over tRPC', () => {
  it('logs an agent in, pulls stock, pushes a sale once and maps limit errors', async () => {
    const w = await newAgentWorld(t, { priceMinor: 2000n });
    const { agent, actor } = await w.newAgent(4_000n);
    const device = await w.newDevice(actor);
    const login = await fetch(`${base}/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ email: actor.label, password: 'agent password 1' })),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(login.status).toBe(200);

    const lease = await call(cookie, 'agent.requestLease', {
      deviceId: device.id,
      planId: w.plan.id,
      count: 2,
    });
    expect(lease.status).toBe(200);
    const tooMuch = await call(cookie, 'agent.requestLease', {
      deviceId: device.id,
      planId: w.plan.id,
      count: 1,
    });
    expect(tooMuch).toMatchObject({ status: 409, error: 'LEASE.LIMIT_EXCEEDED' });

    const pull = await call(cookie, 'sync.pull', { deviceId: device.id, cursor: null }, 'GET');
    const stock = pull.data?.leased as { code: string; priceMinor: bigint }[];
    expect(stock).toHaveLength(2);
    expect(stock[0]?.priceMinor).toBe(2000n);

    const op = await device.sale(stock[0]?.code ?? '', 1);
    const first = await call(cookie, 'sync.push', { deviceId: device.id, ops: [op] });
    const replay = await call(cookie, 'sync.push', { deviceId: device.id, ops: [op] });
    expect(first.data).toEqual({ results: [{ saleId: op.saleId, seq: 1, result: 'applied' }] });
    expect(replay.data).toEqual({ results: [{ saleId: op.saleId, seq: 1, result: 'duplicate' }] });

    const today = await call(cookie, 'cash.today', undefined, 'GET');
    expect(today.data).toMatchObject({ salesCount: 1, owedMinor: 2000n });
    const forbidden = await call(cookie, 'cash.handover', {
      agentId: agent.id,
      amountMinor: 1n,
      currency: 'KES',
    });
    expect(forbidden).toMatchObject({ status: 403, error: 'AUTH.FORBIDDEN' });
  });
});
