import { afterEach, describe, expect, it } from 'vitest';
import { TestApiClient, records } from '../test-support/api.test-client.ts';
import type { DemoRouter } from './demo.router.ts';
import { counterAdvancer, startDemoRouter } from './demo.router.ts';
import { createRouterState } from '../state/router.seed.ts';
import { subscriberControls } from '../state/active-sessions.ts';

let demo: DemoRouter | undefined;

afterEach(async () => {
  await demo?.close();
});

describe('startDemoRouter', () => {
  it('starts a 7.18 router with an admin API user and live sessions', async () => {
    demo = await startDemoRouter({ password: 'demo' });
    const c = await TestApiClient.connect(demo.port);
    expect(await c.login('admin', 'wrong')).toHaveLength(2);
    expect(await c.login('admin', 'demo')).toEqual([['!done']]);
    const [resource] = records(await c.run(['/system/resource/print']));
    expect(resource?.version).toBe('7.18.2 (stable)');
    expect(records(await c.run(['/ip/hotspot/active/print']))).toHaveLength(3);
    expect(records(await c.run(['/ppp/active/print'])).map((r) => r.name)).toEqual(['amina', 'baraka']);
    expect(records(await c.run(['/interface/print', '?type=pppoe-in'])).map((r) => r.name)).toEqual([
      '<pppoe-amina>',
      '<pppoe-baraka>',
    ]);
    c.close();
  });

  it('keeps traffic counters moving while clients watch', async () => {
    demo = await startDemoRouter({ tickMs: 50 });
    const c = await TestApiClient.connect(demo.port);
    await c.login('admin', 'admin');
    const read = async () => records(await c.run(['/ip/hotspot/active/print', '?user=KX7-42QF']))[0] ?? {};
    const before = await read();
    await new Promise((r) => setTimeout(r, 250));
    const after = await read();
    expect(Number(after['bytes-out'])).toBeGreaterThan(Number(before['bytes-out']));
    expect(Number(after['bytes-in'])).toBeGreaterThan(Number(before['bytes-in']));
    const [ether1] = records(await c.run(['/interface/print', '?name=ether1', '=.proplist=rx-byte']));
    expect(Number(ether1?.['rx-byte'])).toBeGreaterThan(0);
    c.close();
  });
});

describe('counterAdvancer', () => {
  it('adds up sub-second ticks into whole seconds of uptime', () => {
    const state = createRouterState({ version: '7.18' });
    const session = subscriberControls(state).connectPpp({
      name: 'a',
      address: '10.0.0.2',
      uptimeSeconds: 59,
    });
    const advance = counterAdvancer(state);
    for (let i = 0; i < 4; i++) advance(0.25);
    expect(state.table('/ppp/active').get(session['.id'] ?? '')?.uptime).toBe('1m');
  });
});
