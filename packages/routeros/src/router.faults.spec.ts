// How the client copes when the router misbehaves: !fatal, silence, connections cut mid-reply
// or while idle, a router that is down and comes back. No fault may crash the process or
// leave an unhandled rejection, and the next call after a drop must reconnect by itself.
import type { RouterOsSim } from '@kasi/routeros-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RouterClient } from './router.client.ts';
import { connectRouter } from './router.client.ts';
import { RouterError } from './router.errors.ts';
import type { RouterLogEvent } from './router.options.ts';
import { API_USER, logSink, simOptions, startSim } from './test-support/router-sim.fixture.ts';
import { createTestPki } from './test-support/tls-pki.fixture.ts';

const pki = createTestPki();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

function rejection(promise: Promise<unknown>): Promise<RouterError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(RouterError);
      return error as RouterError;
    },
  );
}

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe.each(['6.49', '7.17', '7.18'] as const)('faults on RouterOS %s', (version) => {
  const sink = logSink();
  let sim: RouterOsSim;
  let client: RouterClient;

  function eventsSince(mark: number, event: RouterLogEvent['event']): RouterLogEvent[] {
    return sink.events.slice(mark).filter((e) => e.event === event);
  }

  beforeAll(async () => {
    sim = await startSim(version, pki);
    client = await connectRouter(simOptions(sim, pki, { timeoutMs: 2000, log: sink.log }));
  });

  afterEach(() => sim.faults.reset());

  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('turns !fatal into ROUTER.FATAL and reconnects on the next call', async () => {
    const mark = sink.events.length;
    sim.faults.set({ fatalOn: { message: 'out of memory', match: '/system/identity/print' } });
    const error = await rejection(client.getIdentity());
    expect(error.code).toBe('ROUTER.FATAL');
    expect(error.message).toContain('out of memory');
    sim.faults.reset();
    expect(await client.getIdentity()).toBe(`kasi-${version}`);
    expect(eventsSince(mark, 'router.disconnected')).toHaveLength(1);
    expect(eventsSince(mark, 'router.connected')).toHaveLength(1);
  });

  it('reconnects after a !fatal sent while idle', async () => {
    await client.getIdentity();
    sim.sendFatal('session terminated on request');
    await expect.poll(() => client.connected).toBe(false);
    expect(await client.getIdentity()).toBe(`kasi-${version}`);
  });

  it('times out a command the router never answers, and keeps working', async () => {
    sim.faults.set({ silence: '/interface/print' });
    const started = Date.now();
    const error = await rejection(client.print('/interface', { timeoutMs: 300 }));
    expect(error.code).toBe('ROUTER.TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await client.getIdentity()).toBe(`kasi-${version}`);
  });

  it('times out a login that never completes, after a bounded number of attempts', async () => {
    sim.faults.set({ silence: '/login' });
    const local = logSink();
    const options = simOptions(sim, pki, { timeoutMs: 200, log: local.log });
    const error = await rejection(connectRouter(options));
    expect(error.code).toBe('ROUTER.TIMEOUT');
    const failures = local.events.filter((e) => e.event === 'router.connect_failed');
    expect(failures.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(failures.map((e) => e.retryInMs === undefined)).toEqual([false, false, true]);
  });

  it('fails a reply cut off mid-way, then reconnects', async () => {
    sim.faults.set({ dropAfterSentences: { count: 2, match: '/interface/print' } });
    const error = await rejection(client.print('/interface'));
    expect(error.code).toBe('ROUTER.UNREACHABLE');
    sim.faults.reset();
    expect(await client.print('/interface')).toHaveLength(5);
  });

  it('reconnects after the connection is cut while idle', async () => {
    await client.getIdentity();
    sim.dropConnections();
    await expect.poll(() => client.connected).toBe(false);
    expect(await client.listInterfaces()).toHaveLength(5);
  });

  it('fails as UNREACHABLE while the router is down, and recovers when it is back', async () => {
    const port = sim.tlsPort;
    await sim.close();
    await expect.poll(() => client.connected).toBe(false);
    const mark = sink.events.length;
    const error = await rejection(client.getIdentity());
    expect(error.code).toBe('ROUTER.UNREACHABLE');
    expect(eventsSince(mark, 'router.connect_failed').map((e) => e.attempt)).toEqual([1, 2, 3]);
    sim = await startSim(version, pki, port);
    expect(await client.getIdentity()).toBe(`kasi-${version}`);
  });

  it('serialises changes but lets reads pass them', async () => {
    const first = await client.add('/queue/simple', { name: 'q-first', target: '10.0.0.1/32' });
    const order: string[] = [];
    const unsubscribe = sim.state.subscribe((change) =>
      order.push(`${change.dead ? 'remove' : 'add'} ${change.row.name}`),
    );
    sim.faults.set({ delayMs: 400, delayMatch: '/queue/simple/add' });
    const slowAdd = client.add('/queue/simple', { name: 'q-second', target: '10.0.0.2/32' });
    const removal = client.remove('/queue/simple', first);
    const read = client.getIdentity().then(() => order.length);
    expect(await read).toBe(0);
    await Promise.all([slowAdd, removal]);
    unsubscribe();
    expect(order).toEqual(['add q-second', 'remove q-first']);
  });

  it('left no unhandled rejection behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  it('logged structured events without the password', () => {
    const text = JSON.stringify(sink.events);
    expect(text).not.toContain(API_USER.password);
    for (const event of sink.events) expect(event.router).toBe(`127.0.0.1:${sim.tlsPort}`);
  });
});
