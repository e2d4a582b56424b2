import { afterEach, describe, expect, it } from 'vitest';
import { SAFE_MODE_HISTORY_LIMIT } from '../state/safe-mode.ts';
import type { RouterOsVersion } from '../state/version.profile.ts';
import { TestApiClient } from '../test-support/api.test-client.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let sim: RouterOsSim;
const clients: TestApiClient[] = [];

async function start(version: RouterOsVersion = '7.18'): Promise<RouterOsSim> {
  sim = await startRouterOsSim({
    version,
    users: [
      { name: 'admin', password: '', group: 'full' },
      { name: 'viewer', password: 'v', group: 'read' },
    ],
  });
  return sim;
}

async function login(name = 'admin', password = ''): Promise<TestApiClient> {
  const client = await TestApiClient.connect(sim.port);
  clients.push(client);
  await client.login(name, password);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim.close();
});

const DONE = [['!done']];

/** A change on each kind of menu: a table add, a table set, a remove and a singleton set. */
async function changeEverything(c: TestApiClient): Promise<void> {
  await c.run(['/radius/add', '=address=192.0.2.1', '=secret=s3', '=service=hotspot']);
  await c.run(['/ip/hotspot/profile/set', '=numbers=hsprof1', '=use-radius=yes']);
  await c.run(['/ip/address/remove', '=numbers=*1']);
  await c.run(['/radius/incoming/set', '=accept=yes']);
}

function configuration() {
  return {
    radius: sim.state.rows('/radius'),
    profiles: sim.state.rows('/ip/hotspot/profile'),
    addresses: sim.state.rows('/ip/address'),
    incoming: sim.state.singleton('/radius/incoming'),
  };
}

async function closedBySim(c: TestApiClient): Promise<void> {
  c.close();
  await c.closed;
  // The emulator handles the peer's FIN in the same turn; one more tick for the close event.
  await new Promise((resolve) => setImmediate(resolve));
}

describe('safe mode on 7.18', () => {
  it('keeps every change when the holder releases, even if it drops afterwards', async () => {
    await start();
    const c = await login();
    expect(await c.run(['/safe-mode/take'])).toEqual(DONE);
    await changeEverything(c);
    const changed = configuration();
    expect(await c.run(['/safe-mode/release'])).toEqual(DONE);
    expect(sim.state.safeMode.held).toBe(false);
    await closedBySim(c);
    expect(configuration()).toEqual(changed);
    expect(changed.radius).toHaveLength(1);
  });

  it('undoes every change, ids included, when the holder’s connection drops before release', async () => {
    await start();
    const before = configuration();
    const c = await login();
    await c.run(['/safe-mode/take']);
    await changeEverything(c);
    expect(sim.state.safeMode.pending).toBe(4);
    await closedBySim(c);
    expect(configuration()).toEqual(before);
    expect(sim.state.safeMode.held).toBe(false);
  });

  it('undoes the changes when the emulator cuts the connection (fault injection)', async () => {
    await start();
    const before = configuration();
    const c = await login();
    await c.run(['/safe-mode/take']);
    await c.run(['/radius/add', '=address=192.0.2.9', '=secret=x']);
    sim.faults.set({ dropAfterSentences: { count: 1, match: '/ip/hotspot/profile/set' } });
    c.send(['/ip/hotspot/profile/set', '=numbers=default', '=use-radius=yes']);
    await c.closed;
    expect(configuration()).toEqual(before);
  });

  it('undoes the changes on unroll and leaves the session open and out of safe mode', async () => {
    await start();
    const before = configuration();
    const c = await login();
    await c.run(['/safe-mode/take']);
    await changeEverything(c);
    expect(await c.run(['/safe-mode/unroll'])).toEqual(DONE);
    expect(configuration()).toEqual(before);
    expect(sim.state.safeMode.held).toBe(false);
    await c.run(['/radius/add', '=address=192.0.2.2', '=secret=y']);
    await closedBySim(c);
    expect(sim.state.rows('/radius')).toHaveLength(1);
  });

  it('also undoes changes other sessions made while safe mode was held', async () => {
    await start();
    const holder = await login();
    const other = await login();
    await holder.run(['/safe-mode/take']);
    await other.run(['/radius/add', '=address=192.0.2.3', '=secret=z']);
    await closedBySim(holder);
    expect(sim.state.rows('/radius')).toEqual([]);
    expect(other.isClosed).toBe(false);
  });

  it('refuses a second session’s take while one holds it, and the holder keeps it', async () => {
    await start();
    const holder = await login();
    const other = await login();
    await holder.run(['/safe-mode/take']);
    expect(await other.run(['/safe-mode/take'])).toEqual([
      ['!trap', '=message=failure: safe mode is held by another session'],
      ['!done'],
    ]);
    expect(await other.run(['/safe-mode/release'])).toEqual(DONE);
    expect(sim.state.safeMode.held).toBe(true);
    await holder.run(['/radius/add', '=address=192.0.2.4', '=secret=w']);
    await closedBySim(holder);
    expect(sim.state.rows('/radius')).toEqual([]);
    expect(await other.run(['/safe-mode/take'])).toEqual(DONE);
  });

  it('keeps the changes when the holder leaves with /quit (as the console does)', async () => {
    await start();
    const c = await login();
    await c.run(['/safe-mode/take']);
    await c.run(['/radius/add', '=address=192.0.2.5', '=secret=q']);
    expect(await c.run(['/quit'])).toEqual([['!fatal', 'session terminated on request']]);
    await c.closed;
    expect(sim.state.rows('/radius')).toHaveLength(1);
  });

  it(`loses safe mode, undoing nothing, after more than ${SAFE_MODE_HISTORY_LIMIT} changes`, async () => {
    await start();
    const c = await login();
    await c.run(['/safe-mode/take']);
    for (let i = 0; i < SAFE_MODE_HISTORY_LIMIT; i++)
      await c.run(['/ip/firewall/address-list/add', '=list=l', `=address=10.1.0.${i}`]);
    expect(sim.state.safeMode.held).toBe(true);
    await c.run(['/ip/firewall/address-list/add', '=list=l', '=address=10.2.0.1']);
    expect(sim.state.safeMode.held).toBe(false);
    await closedBySim(c);
    expect(sim.state.rows('/ip/firewall/address-list')).toHaveLength(SAFE_MODE_HISTORY_LIMIT + 1);
  });

  it('does not count kicks: a removed hotspot session stays removed when safe mode is undone', async () => {
    await start();
    const active = sim.subscribers.connectHotspot({
      user: 'KX7',
      address: '10.5.50.21',
      macAddress: 'A4:5E:60:11:22:01',
    });
    const c = await login();
    await c.run(['/safe-mode/take']);
    await c.run(['/ip/hotspot/active/remove', `=.id=${active['.id'] ?? ''}`]);
    await closedBySim(c);
    expect(sim.state.rows('/ip/hotspot/active')).toEqual([]);
  });

  it('needs the write policy, toggles, and refuses unknown arguments', async () => {
    await start();
    const viewer = await login('viewer', 'v');
    expect(await viewer.run(['/safe-mode/take'])).toEqual([
      ['!trap', '=message=not enough permissions (9)'],
      ['!done'],
    ]);
    const c = await login();
    await c.run(['/safe-mode/toggle']);
    expect(sim.state.safeMode.held).toBe(true);
    await c.run(['/safe-mode/toggle']);
    expect(sim.state.safeMode.held).toBe(false);
    expect(await c.run(['/safe-mode/release', '=force=yes'])).toEqual([
      ['!trap', '=message=unknown parameter'],
      ['!done'],
    ]);
  });
});

describe.each(['6.49', '7.17'] as const)('no safe mode in the API of %s', (version) => {
  it('answers /safe-mode/take with "no such command prefix" and changes stay put on a drop', async () => {
    await start(version);
    const c = await login();
    expect(await c.run(['/safe-mode/take'])).toEqual([
      ['!trap', '=category=0', '=message=no such command prefix'],
      ['!done'],
    ]);
    await c.run(['/radius/add', '=address=192.0.2.6', '=secret=r']);
    await closedBySim(c);
    expect(sim.state.rows('/radius')).toHaveLength(1);
  });
});
