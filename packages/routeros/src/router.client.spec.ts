// The client against each RouterOS release profile of the emulator, over API-SSL on real
// sockets: login, typed reads, queries, changes, traps, big and odd replies, concurrency.
import type { RouterOsSim } from '@kasi/routeros-sim';
import { addRows } from '@kasi/routeros-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RouterClient } from './router.client.ts';
import { connectRouter } from './router.client.ts';
import { RouterError, TRAP_CATEGORY } from './router.errors.ts';
import { NO_API_USER, logSink, simOptions, startSim } from './test-support/router-sim.fixture.ts';
import { createTestPki } from './test-support/tls-pki.fixture.ts';

const pki = createTestPki();

function rejection(promise: Promise<unknown>): Promise<RouterError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(RouterError);
      return error as RouterError;
    },
  );
}

describe.each(['6.49', '7.17', '7.18'] as const)('RouterOS %s', (version) => {
  let sim: RouterOsSim;
  let client: RouterClient;

  beforeAll(async () => {
    sim = await startSim(version, pki);
    client = await connectRouter(simOptions(sim, pki));
  });

  afterEach(() => sim.faults.reset());

  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('logs in over api-ssl and reads typed /system/resource and identity', async () => {
    const resource = await client.getResource();
    expect(resource.version.startsWith(version)).toBe(true);
    expect(resource).toMatchObject({ cpuLoad: 3, totalMemory: 268435456, boardName: 'hAP ac^2' });
    expect(resource.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(await client.getIdentity()).toBe(`kasi-${version}`);
  });

  it('fails a wrong password with AUTH_FAILED after a single attempt', async () => {
    const sink = logSink();
    const options = simOptions(sim, pki, { password: 'wrong', log: sink.log });
    const error = await rejection(connectRouter(options));
    expect(error.code).toBe('ROUTER.AUTH_FAILED');
    expect(sink.events.filter((e) => e.event === 'router.connect_failed')).toHaveLength(1);
  });

  it('fails a user without the api policy with AUTH_FAILED', async () => {
    const options = simOptions(sim, pki, { username: NO_API_USER.name, password: NO_API_USER.password });
    const error = await rejection(connectRouter(options));
    expect(error.code).toBe('ROUTER.AUTH_FAILED');
    expect(error.message).toContain('not allowed (9)');
  });

  it('prints with proplist, equality filters and raw queries', async () => {
    const rows = await client.print('/interface', {
      proplist: ['name', 'running'],
      where: { running: true },
    });
    expect(rows).toEqual([
      { name: 'ether1', running: 'true' },
      { name: 'ether2', running: 'true' },
      { name: 'ether3', running: 'true' },
    ]);
    const either = await client.print('/interface', {
      proplist: ['name'],
      query: ['?name=ether1', '?name=ether5', '?#|'],
    });
    expect(either).toEqual([{ name: 'ether1' }, { name: 'ether5' }]);
  });

  it('keeps rows that the proplist leaves without attributes', async () => {
    const rows = await client.print('/interface', { proplist: ['comment'] });
    expect(rows).toEqual([{}, {}, {}, {}, {}]);
  });

  it('returns [] for a print that matches nothing (7.18 answers !empty)', async () => {
    expect(await client.print('/ip/hotspot/user', { where: { name: 'nobody' } })).toEqual([]);
    expect(await client.listHotspotActive({ user: 'nobody' })).toEqual([]);
    expect(await client.getIdentity()).toBe(`kasi-${version}`);
  });

  it('adds, sets, disables, unsets and removes an item', async () => {
    const id = await client.add('/queue/simple', { name: 'sub-42', target: '10.5.50.42/32', comment: 'x' });
    expect(id).toMatch(/^\*[0-9A-F]+$/);
    await client.set('/queue/simple', id, { 'max-limit': '5M/10M' });
    await client.disable('/queue/simple', id);
    await client.unset('/queue/simple', id, 'comment');
    const [row] = await client.print('/queue/simple', { where: { '.id': id } });
    expect(row).toMatchObject({ name: 'sub-42', 'max-limit': '5M/10M', disabled: 'true' });
    expect(row?.comment).toBeUndefined();
    await client.enable('/queue/simple', id);
    expect(sim.state.table('/queue/simple').get(id)?.disabled).toBe('false');
    await client.remove('/queue/simple', id);
    expect(await client.print('/queue/simple', { where: { name: 'sub-42' } })).toEqual([]);
  });

  it('reads and changes singletons', async () => {
    await client.setSingleton('/ppp/aaa', { 'use-radius': true, 'interim-update': '5m' });
    await client.setSingleton('/radius/incoming', { accept: true });
    expect(await client.getPppAaa()).toEqual({
      useRadius: true,
      accounting: true,
      interimUpdateSeconds: 300,
    });
    expect(await client.getRadiusIncoming()).toEqual({ accept: true, port: 3799 });
    await client.setSingleton('/ppp/aaa', { 'use-radius': false, 'interim-update': '0s' });
    expect(await client.getPppAaa()).toEqual({ useRadius: false, accounting: true, interimUpdateSeconds: 0 });
  });

  it('lists RADIUS clients, hotspot profiles and interfaces as typed records', async () => {
    const id = await client.add('/radius', {
      address: '10.0.0.5',
      secret: 'radius-secret',
      service: 'hotspot,ppp',
    });
    expect(await client.listRadius()).toEqual([
      expect.objectContaining({ id, address: '10.0.0.5', services: ['hotspot', 'ppp'], timeoutMs: 300 }),
    ]);
    const profiles = await client.listHotspotProfiles();
    expect(profiles.map((p) => p.name)).toEqual(['default', 'hsprof1']);
    expect(profiles[0]).toMatchObject({
      useRadius: false,
      radiusAccounting: true,
      loginBy: ['cookie', 'http-chap'],
    });
    const interfaces = await client.listInterfaces();
    expect(interfaces[0]).toEqual({
      id: '*1',
      name: 'ether1',
      type: 'ether',
      running: true,
      disabled: false,
      comment: undefined,
    });
    await client.remove('/radius', id);
  });

  it('finds and kicks live hotspot and PPP sessions', async () => {
    sim.subscribers.connectHotspot({
      user: 'KX7-42QF',
      address: '10.5.50.21',
      macAddress: 'A4:5E:60:11:22:01',
    });
    sim.subscribers.connectPpp({ name: 'jane', address: '10.9.0.7', uptimeSeconds: 3725, radius: true });
    const [hotspot] = await client.listHotspotActive({ user: 'KX7-42QF' });
    expect(hotspot).toMatchObject({
      user: 'KX7-42QF',
      address: '10.5.50.21',
      loginBy: 'http-chap',
      bytesIn: 0,
    });
    const [ppp] = await client.listPppActive({ name: 'jane' });
    expect(ppp).toMatchObject({ name: 'jane', service: 'pppoe', uptimeSeconds: 3725, radius: true });
    await client.removeHotspotActive(hotspot?.id ?? '');
    await client.removePppActive(ppp?.id ?? '');
    expect(await client.listHotspotActive()).toEqual([]);
    expect(await client.listPppActive()).toEqual([]);
  });

  it('turns traps into ROUTER.TRAP with category and message', async () => {
    const bad = await rejection(client.add('/ip/hotspot/user', { name: 'u1', profile: 'no-such-profile' }));
    expect(bad).toMatchObject({
      code: 'ROUTER.TRAP',
      category: TRAP_CATEGORY.argumentValue,
      message: 'input does not match any value of profile',
    });
    const missing = await rejection(client.remove('/queue/simple', '*FFFF'));
    expect(missing).toMatchObject({ code: 'ROUTER.TRAP', category: undefined, message: 'no such item (4)' });
    const unknown = await rejection(client.print('/no/such/menu'));
    expect(unknown).toMatchObject({ category: TRAP_CATEGORY.missingItemOrCommand });
    sim.faults.set({
      failNthWrite: { nth: 1, message: 'failure: injected', category: TRAP_CATEGORY.general },
    });
    const injected = await rejection(client.add('/queue/simple', { name: 'q-trap', target: '10.0.0.9/32' }));
    expect(injected).toMatchObject({ category: TRAP_CATEGORY.general, message: 'failure: injected' });
    expect(client.connected).toBe(true);
  });

  it('reads replies delivered one byte at a time and with the tag first', async () => {
    const expected = await client.print('/interface');
    sim.faults.set({ writeMode: 'byte-by-byte' });
    expect(await client.print('/interface')).toEqual(expected);
    sim.faults.set({ writeMode: 'coalesced', tagPosition: 'first' });
    expect(await client.print('/interface')).toEqual(expected);
  });

  it('prints 10,000 rows', async () => {
    const ids = addRows(sim.state, '/ip/firewall/address-list', 10_000, (i) => ({
      list: 'walled-garden',
      address: `10.${Math.floor(i / 256) % 256}.${i % 256}.${Math.floor(i / 65536) + 1}`,
    }));
    const rows = await client.print('/ip/firewall/address-list', {
      proplist: ['.id', 'address'],
      timeoutMs: 20_000,
    });
    expect(rows).toHaveLength(10_000);
    expect(rows.map((r) => r['.id'])).toEqual(ids);
  });

  it('resolves many concurrent tagged commands, each with its own reply', async () => {
    sim.faults.set({ delayMs: 30, delayMatch: '/system/identity/print' });
    const calls = Array.from({ length: 60 }, (_, i) => {
      if (i % 3 === 0) return client.getIdentity();
      if (i % 3 === 1) return client.print('/interface', { where: { name: `ether${(i % 5) + 1}` } });
      return client.getPppAaa();
    });
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      if (i % 3 === 0) expect(result).toBe(`kasi-${version}`);
      else if (i % 3 === 1)
        expect(result).toEqual([expect.objectContaining({ name: `ether${(i % 5) + 1}` })]);
      else expect(result).toHaveProperty('useRadius');
    });
  });
});
