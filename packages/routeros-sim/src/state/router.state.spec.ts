import { describe, expect, it } from 'vitest';
import { subscriberControls } from './active-sessions.ts';
import { createRouterState } from './router.seed.ts';
import type { StateChange } from './router.state.ts';
import { addRows } from './router.state.ts';

describe('RouterState', () => {
  it('seeds ether1..ether5, the hotspot profiles and the PPP default profile', () => {
    const state = createRouterState({ version: '7.18' });
    expect(state.rows('/interface').map((r) => r.name)).toEqual([
      'ether1',
      'ether2',
      'ether3',
      'ether4',
      'ether5',
    ]);
    expect(state.rows('/ip/hotspot/profile').map((r) => r.name)).toEqual(['default', 'hsprof1']);
    expect(state.rows('/ppp/profile').map((r) => [r.name, r.default])).toEqual([
      ['default', 'true'],
      ['default-encryption', 'true'],
    ]);
    expect(state.singleton('/system/identity')).toEqual({ name: 'MikroTik' });
  });

  it('gives ids *1..*9, *A.. in hex and never reuses them', () => {
    const state = createRouterState({ version: '7.18' });
    const ids = addRows(state, '/radius', 12, (i) => ({ address: `10.0.0.${i}` }));
    expect(ids.slice(8)).toEqual(['*9', '*A', '*B', '*C']);
    state.remove('/radius', '*C');
    expect(state.add('/radius', { address: '10.0.0.99' })['.id']).toBe('*D');
  });

  it('derives network and actual-interface of /ip/address', () => {
    const state = createRouterState({ version: '7.18' });
    const row = state.add('/ip/address', { address: '172.16.5.9/22', interface: 'ether5' });
    expect(row).toMatchObject({ network: '172.16.4.0', 'actual-interface': 'ether5' });
  });

  it('reports changes to subscribers, silently when asked', () => {
    const state = createRouterState({ version: '7.18' });
    const seen: StateChange[] = [];
    state.subscribe((c) => seen.push(c));
    const row = state.add('/ppp/secret', { name: 'a' });
    state.update('/ppp/secret', row['.id'] ?? '', { comment: 'x' }, { silent: true });
    state.remove('/ppp/secret', row['.id'] ?? '');
    expect(seen.map((c) => [c.path, c.dead])).toEqual([
      ['/ppp/secret', false],
      ['/ppp/secret', true],
    ]);
  });

  it('connects and disconnects subscribers, with the dynamic PPP interface following the session', () => {
    const state = createRouterState({ version: '6.49' });
    const subscribers = subscriberControls(state);
    subscribers.connectPpp({ name: 'amina', address: '10.10.0.2', callerId: 'AA:BB:CC:DD:EE:FF' });
    subscribers.connectHotspot({ user: 'v1', address: '10.5.50.3', macAddress: '00:11:22:33:44:55' });
    expect(state.table('/interface').findByName('<pppoe-amina>')).toMatchObject({
      type: 'pppoe-in',
      dynamic: 'true',
    });
    expect(subscribers.disconnectPpp('amina')).toBe(true);
    expect(subscribers.disconnectHotspot('v1')).toBe(true);
    expect(subscribers.disconnectHotspot('v1')).toBe(false);
    expect(state.table('/interface').findByName('<pppoe-amina>')).toBeUndefined();
  });
});
