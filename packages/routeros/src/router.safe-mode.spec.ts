// Safe mode through the client, over API-SSL against the emulator: a held session is never
// silently replaced, and every way of leaving safe mode has the effect RouterOS gives it.
import type { RouterOsSim } from '@kasi/routeros-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouterClient } from './router.client.ts';
import { connectRouter } from './router.client.ts';
import { RouterError } from './router.errors.ts';
import { supportsSafeMode } from './safe-mode.ts';
import { logSink, simOptions, startSim } from './test-support/router-sim.fixture.ts';
import { createTestPki } from './test-support/tls-pki.fixture.ts';

const pki = createTestPki();
let sim: RouterOsSim;
const clients: RouterClient[] = [];

async function connect(log = logSink().log): Promise<RouterClient> {
  const client = await connectRouter(simOptions(sim, pki, { log }));
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await sim.close();
});

const radius = () => sim.state.rows('/radius');

async function rejection(promise: Promise<unknown>): Promise<RouterError> {
  const error: unknown = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RouterError);
  return error as RouterError;
}

async function changeUnderSafeMode(client: RouterClient): Promise<void> {
  expect(await client.takeSafeMode()).toEqual({ taken: true });
  await client.add('/radius', { address: '192.0.2.1', secret: 's', service: 'hotspot' });
  await client.setSingleton('/radius/incoming', { accept: true });
}

describe('safe mode on RouterOS 7.18', () => {
  it('reports support from the version and keeps the changes on release', async () => {
    sim = await startSim('7.18', pki);
    const client = await connect();
    expect(await client.getSafeModeSupport()).toEqual({ supported: true, version: '7.18.2 (stable)' });
    await changeUnderSafeMode(client);
    expect(client.holdsSafeMode).toBe(true);
    await client.releaseSafeMode();
    expect(client.holdsSafeMode).toBe(false);
    await client.close();
    expect(radius()).toHaveLength(1);
  });

  it('has the router undo the changes on unroll, and the session carries on', async () => {
    sim = await startSim('7.18', pki);
    const client = await connect();
    await changeUnderSafeMode(client);
    await client.unrollSafeMode();
    expect(radius()).toEqual([]);
    expect(sim.state.singleton('/radius/incoming').accept).toBe('false');
    expect(await client.getIdentity()).toBe('kasi-7.18');
  });

  it('fails calls with SAFE_MODE_LOST instead of reconnecting when the held session drops', async () => {
    sim = await startSim('7.18', pki);
    const sink = logSink();
    const client = await connect(sink.log);
    await changeUnderSafeMode(client);
    sim.dropConnections();
    const error = await rejection(client.set('/ip/hotspot/profile', '*1', { 'use-radius': true }));
    expect(error.code).toBe('ROUTER.SAFE_MODE_LOST');
    await expect.poll(() => sim.connectionCount()).toBe(0);
    const connects = () => sink.events.filter((e) => e.event === 'router.connected').length;
    expect(connects()).toBe(1);
    expect(radius()).toEqual([]);
    expect(sink.events.map((e) => e.event)).toContain('router.safe_mode_lost');
    expect((await rejection(client.unrollSafeMode())).code).toBe('ROUTER.SAFE_MODE_LOST');
    expect(client.holdsSafeMode).toBe(false);
    expect(await client.getIdentity()).toBe('kasi-7.18');
    expect(connects()).toBe(2);
  });

  it('lets the router undo the changes when the held session is abandoned or the client closed', async () => {
    sim = await startSim('7.18', pki);
    const client = await connect();
    await changeUnderSafeMode(client);
    await client.abandonSafeMode();
    expect(radius()).toEqual([]);
    expect(await client.getIdentity()).toBe('kasi-7.18');
    await changeUnderSafeMode(client);
    await client.close();
    await expect.poll(() => radius()).toEqual([]);
  });

  it('reports a take refused because another session holds safe mode', async () => {
    sim = await startSim('7.18', pki);
    const first = await connect();
    const second = await connect();
    expect(await first.takeSafeMode()).toEqual({ taken: true });
    expect(await second.takeSafeMode()).toMatchObject({ taken: false, reason: 'held-elsewhere' });
    expect(second.holdsSafeMode).toBe(false);
  });
});

describe.each(['6.49', '7.17'] as const)('RouterOS %s has no API safe mode', (version) => {
  it('says so from the version, and a take comes back unsupported', async () => {
    sim = await startSim(version, pki);
    const client = await connect();
    expect((await client.getSafeModeSupport()).supported).toBe(false);
    expect(await client.takeSafeMode()).toEqual({
      taken: false,
      reason: 'unsupported',
      message: 'no such command prefix',
    });
    expect(client.holdsSafeMode).toBe(false);
    await client.add('/radius', { address: '192.0.2.2', secret: 's' });
  });
});

describe('supportsSafeMode', () => {
  it.each([
    ['7.18.2 (stable)', true],
    ['7.18beta2 (testing)', true],
    ['7.20 (stable)', true],
    ['8.0 (development)', true],
    ['7.17.2 (stable)', false],
    ['6.49.18 (long-term)', false],
    ['', false],
  ])('%s → %s', (version, expected) => {
    expect(supportsSafeMode(version)).toBe(expected);
  });
});
