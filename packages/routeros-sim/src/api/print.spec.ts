import { afterEach, describe, expect, it } from 'vitest';
import { addRows } from '../state/router.state.ts';
import { TestApiClient, records } from '../test-support/api.test-client.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let sim: RouterOsSim | undefined;
let client: TestApiClient | undefined;

afterEach(async () => {
  client?.close();
  await sim?.close();
});

async function open(version: '6.49' | '7.17' | '7.18' = '7.18', now?: () => number): Promise<TestApiClient> {
  sim = await startRouterOsSim({ version, ...(now ? { now } : {}) });
  client = await TestApiClient.connect(sim.port);
  await client.login();
  return client;
}

describe('print', () => {
  it('lists the seeded interfaces with *N ids in order', async () => {
    const c = await open();
    const rows = records(await c.run(['/interface/print']));
    expect(rows.map((r) => [r['.id'], r.name])).toEqual([
      ['*1', 'ether1'],
      ['*2', 'ether2'],
      ['*3', 'ether3'],
      ['*4', 'ether4'],
      ['*5', 'ether5'],
    ]);
    expect(rows[0]).toMatchObject({ type: 'ether', running: 'true', disabled: 'false' });
  });

  it('returns only the .proplist properties, in the router order', async () => {
    const c = await open();
    const reply = await c.run(['/interface/print', '=.proplist=running,name,no-such-prop']);
    expect(reply[0]).toEqual(['!re', '=name=ether1', '=running=true']);
  });

  it('sends an attribute-less !re when none of the .proplist properties exist', async () => {
    const c = await open();
    const reply = await c.run(['/interface/print', '=.proplist=no-such-prop', '?name=ether1']);
    expect(reply).toEqual([['!re'], ['!done']]);
  });

  it('filters with query words, including ?#| and ?#!', async () => {
    const c = await open();
    const names = async (...q: string[]) =>
      records(await c.run(['/interface/print', '=.proplist=name', ...q])).map((r) => r.name);
    expect(await names('?name=ether2')).toEqual(['ether2']);
    expect(await names('?=name=ether2')).toEqual(['ether2']);
    expect(await names('?running=false')).toEqual(['ether4', 'ether5']);
    expect(await names('?name=ether1', '?name=ether5', '?#|')).toEqual(['ether1', 'ether5']);
    expect(await names('?name=ether1', '?name=ether5', '?#|!')).toEqual(['ether2', 'ether3', 'ether4']);
    expect(await names('?comment')).toEqual([]);
    expect(await names('?-comment', '?>name=ether3')).toEqual(['ether4', 'ether5']);
  });

  it('counts with count-only in !done =ret=', async () => {
    const c = await open();
    expect(await c.run(['/interface/print', '=count-only=', '?running=true'])).toEqual([['!done', '=ret=3']]);
  });

  it('accepts detail and without-paging and refuses unknown arguments', async () => {
    const c = await open();
    expect(records(await c.run(['/interface/print', '=detail=', '=without-paging=']))).toHaveLength(5);
    expect(await c.run(['/interface/print', '=colour=blue'])).toEqual([
      ['!trap', '=message=unknown parameter'],
      ['!done'],
    ]);
  });

  it.each([
    ['6.49', [['!done']]],
    ['7.17', [['!done']]],
    ['7.18', [['!empty'], ['!done']]],
  ] as const)('answers a print that matches nothing on %s with %j', async (version, expected) => {
    const c = await open(version);
    expect(await c.run(['/ip/hotspot/active/print'])).toEqual(expected);
    expect(await c.run(['/interface/print', '?name=nope'])).toEqual(expected);
  });

  it('prints singletons without an .id', async () => {
    const c = await open('7.18');
    const [resource] = records(await c.run(['/system/resource/print']));
    expect(resource).toMatchObject({ version: '7.18.2 (stable)', 'board-name': 'hAP ac^2', 'cpu-load': '3' });
    expect(Object.keys(resource ?? {})).toEqual(
      expect.arrayContaining(['uptime', 'free-memory', 'total-memory', 'architecture-name']),
    );
    expect(resource?.['.id']).toBeUndefined();
  });

  it('shows uptime growing with the clock', async () => {
    let now = Date.UTC(2025, 0, 5, 7, 0, 0);
    const c = await open('7.18', () => now);
    now += 93784_000;
    const [resource] = records(await c.run(['/system/resource/print', '=.proplist=uptime']));
    expect(resource).toEqual({ uptime: '1d2h3m4s' });
  });

  it.each([
    ['6.49', 'jan/05/2025', 'Feb/24/2025 11:07:41'],
    ['7.17', '2025-01-05', '2025-02-03 08:24:01'],
  ] as const)('formats dates on %s as RouterOS of that age does', async (version, date, buildTime) => {
    const c = await open(version, () => Date.UTC(2025, 0, 5, 7, 8, 9));
    const [clock] = records(await c.run(['/system/clock/print']));
    expect(clock).toMatchObject({ date, time: '07:08:09' });
    const [resource] = records(await c.run(['/system/resource/print']));
    expect(resource?.['build-time']).toBe(buildTime);
  });

  it('answers get with =ret= for singletons and rows', async () => {
    const c = await open();
    expect(await c.run(['/system/identity/get', '=value-name=name'])).toEqual([['!done', '=ret=MikroTik']]);
    expect(await c.run(['/interface/get', '=number=ether3', '=value-name=.id'])).toEqual([
      ['!done', '=ret=*3'],
    ]);
  });

  it('delivers a 10,000-row print completely and in order', async () => {
    const c = await open();
    const ids = addRows(sim!.state, '/ip/hotspot/user', 10_000, (i) => ({
      name: `v${i}`,
      password: `p${i}`,
    }));
    expect(ids.at(-1)).toBe('*2710');
    const reply = await c.run(['/ip/hotspot/user/print', '=.proplist=.id,name'], 10_000);
    const rows = records(reply);
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]).toEqual({ '.id': '*2710', name: 'v9999' });
    expect(rows.every((r, i) => r.name === `v${i}`)).toBe(true);
    expect(reply.at(-1)).toEqual(['!done']);
  });

  it('traps unknown menus and unknown verbs with RouterOS texts', async () => {
    const c = await open();
    expect(await c.run(['/foo/bar/print'])).toEqual([
      ['!trap', '=category=0', '=message=no such command prefix'],
      ['!done'],
    ]);
    expect((await c.run(['/interface/frobnicate']))[0]).toEqual([
      '!trap',
      '=category=0',
      '=message=no such command',
    ]);
    expect((await c.run(['/ip/hotspot/active/add', '=user=x']))[0]?.at(-1)).toBe('=message=no such command');
  });

  it('prints /ppp/aaa with booleans written as the API writes them (true/false)', async () => {
    const c = await open();
    const [aaa] = records(await c.run(['/ppp/aaa/print']));
    expect(aaa).toEqual({
      'use-radius': 'false',
      accounting: 'true',
      'interim-update': '0s',
      'use-circuit-id-in-nas-port-id': 'false',
    });
  });
});
