import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestApiClient, records } from '../test-support/api.test-client.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let sim: RouterOsSim;
let c: TestApiClient;

beforeEach(async () => {
  sim = await startRouterOsSim({ version: '7.18' });
  c = await TestApiClient.connect(sim.port);
  await c.login();
});

afterEach(async () => {
  c.close();
  await sim.close();
});

const trap = (message: string, category?: number) => [
  ['!trap', ...(category === undefined ? [] : [`=category=${category}`]), `=message=${message}`],
  ['!done'],
];

describe('add', () => {
  it('returns the new id in !done =ret= and counts ids in hex (*9, *A, *B)', async () => {
    const rets: string[] = [];
    for (let i = 1; i <= 11; i++) {
      const [done] = await c.run(['/ip/firewall/address-list/add', '=list=blocked', `=address=10.0.0.${i}`]);
      rets.push(done?.[1] ?? '');
    }
    expect(rets.slice(8)).toEqual(['=ret=*9', '=ret=*A', '=ret=*B']);
  });

  it('fills defaults and stores the values as strings', async () => {
    await c.run(['/ip/hotspot/user/add', '=name=v1', '=password=p', '=limit-uptime=1h', '=disabled=yes']);
    const [user] = records(await c.run(['/ip/hotspot/user/print', '?name=v1']));
    expect(user).toMatchObject({
      '.id': '*1',
      server: 'all',
      name: 'v1',
      password: 'p',
      profile: 'default',
      'limit-uptime': '1h',
      'bytes-in': '0',
      disabled: 'true',
    });
  });

  it('traps a duplicate hotspot user with RouterOS text and keeps the first', async () => {
    await c.run(['/ip/hotspot/user/add', '=name=v1']);
    expect(await c.run(['/ip/hotspot/user/add', '=name=v1'])).toEqual(
      trap('failure: already have user with this name for this server'),
    );
    expect(sim.state.rows('/ip/hotspot/user')).toHaveLength(1);
  });

  it('traps a duplicate PPP secret with RouterOS text', async () => {
    await c.run(['/ppp/secret/add', '=name=amina', '=password=x']);
    expect(await c.run(['/ppp/secret/add', '=name=amina'])).toEqual(
      trap('failure: secret with the same name already exists'),
    );
  });

  it('traps other duplicates with their menu-specific texts', async () => {
    await c.run(['/ip/firewall/address-list/add', '=list=wg', '=address=1.1.1.1']);
    expect(await c.run(['/ip/firewall/address-list/add', '=list=wg', '=address=1.1.1.1'])).toEqual(
      trap('failure: already have such entry'),
    );
    expect(await c.run(['/ppp/profile/add', '=name=default'])).toEqual(
      trap('failure: already have such name'),
    );
    expect(await c.run(['/interface/set', '=.id=*2', '=name=ether1'])).toEqual(
      trap('failure: already have interface with such name'),
    );
  });

  it('traps a reference to a profile that does not exist', async () => {
    expect(await c.run(['/ip/hotspot/user/add', '=name=v1', '=profile=gold'])).toEqual(
      trap('input does not match any value of profile', 1),
    );
    await c.run(['/ip/hotspot/user/profile/add', '=name=gold', '=rate-limit=2M/10M']);
    expect((await c.run(['/ip/hotspot/user/add', '=name=v1', '=profile=gold']))[0]?.[0]).toBe('!done');
  });

  it('traps unknown and read-only arguments as unknown parameter', async () => {
    expect(await c.run(['/ppp/secret/add', '=name=a', '=colour=red'])).toEqual(trap('unknown parameter'));
    expect(await c.run(['/ip/hotspot/user/add', '=name=a', '=bytes-in=5'])).toEqual(
      trap('unknown parameter'),
    );
  });

  it('traps a boolean that is not yes/no/true/false', async () => {
    expect(await c.run(['/radius/add', '=address=10.0.0.1', '=disabled=maybe'])).toEqual(
      trap('invalid value for argument disabled', 1),
    );
  });
});

describe('set, remove, enable, disable, unset', () => {
  beforeEach(async () => {
    await c.run(['/ppp/secret/add', '=name=amina', '=password=a', '=comment=vip']); // *1
    await c.run(['/ppp/secret/add', '=name=baraka', '=password=b']); // *2
  });

  const secrets = async () =>
    records(await c.run(['/ppp/secret/print', '=.proplist=.id,name,password,disabled,comment']));

  it('sets by =.id= and by =numbers= (ids or names, comma-separated)', async () => {
    expect(await c.run(['/ppp/secret/set', '=.id=*1', '=password=new'])).toEqual([['!done']]);
    await c.run(['/ppp/secret/set', '=numbers=baraka', '=comment=late']);
    await c.run(['/ppp/secret/set', '=numbers=*1,*2', '=profile=default-encryption']);
    expect(await secrets()).toEqual([
      { '.id': '*1', name: 'amina', password: 'new', disabled: 'false', comment: 'vip' },
      { '.id': '*2', name: 'baraka', password: 'b', disabled: 'false', comment: 'late' },
    ]);
    expect(sim.state.rows('/ppp/secret').map((r) => r.profile)).toEqual([
      'default-encryption',
      'default-encryption',
    ]);
  });

  it('traps a missing item and changes nothing when one of several ids is missing', async () => {
    expect(await c.run(['/ppp/secret/set', '=.id=*9', '=password=x'])).toEqual(trap('no such item (4)'));
    expect(await c.run(['/ppp/secret/remove', '=numbers=*1,*9'])).toEqual(trap('no such item (4)'));
    expect(await secrets()).toHaveLength(2);
  });

  it('disables and enables', async () => {
    await c.run(['/ppp/secret/disable', '=.id=*2']);
    expect((await secrets())[1]?.disabled).toBe('true');
    await c.run(['/ppp/secret/enable', '=numbers=baraka']);
    expect((await secrets())[1]?.disabled).toBe('false');
  });

  it('unsets a property so print omits it', async () => {
    await c.run(['/ppp/secret/unset', '=.id=*1', '=value-name=comment']);
    expect((await secrets())[0]).toEqual({ '.id': '*1', name: 'amina', password: 'a', disabled: 'false' });
  });

  it('removes and never reuses the id', async () => {
    await c.run(['/ppp/secret/remove', '=.id=*1']);
    const [done] = await c.run(['/ppp/secret/add', '=name=chiku']);
    expect(done).toEqual(['!done', '=ret=*3']);
    expect((await secrets()).map((s) => s['.id'])).toEqual(['*2', '*3']);
  });

  it('sets singletons such as /ppp/aaa and /radius/incoming', async () => {
    await c.run(['/ppp/aaa/set', '=use-radius=yes', '=interim-update=5m']);
    await c.run(['/radius/incoming/set', '=accept=yes']);
    expect(sim.state.singleton('/ppp/aaa')).toMatchObject({ 'use-radius': 'true', 'interim-update': '5m' });
    expect(records(await c.run(['/radius/incoming/print']))).toEqual([{ accept: 'true', port: '3799' }]);
    expect(await c.run(['/system/resource/set', '=cpu-load=1'])).toEqual(trap('no such command', 0));
  });

  it('kicks a hotspot session with remove on /ip/hotspot/active', async () => {
    const row = sim.subscribers.connectHotspot({
      user: 'v1',
      address: '10.5.50.9',
      macAddress: 'AA:BB:CC:00:00:01',
    });
    const [found] = records(await c.run(['/ip/hotspot/active/print', '?user=v1']));
    expect(found?.['.id']).toBe(row['.id']);
    await c.run(['/ip/hotspot/active/remove', `=.id=${row['.id']}`]);
    expect(sim.state.rows('/ip/hotspot/active')).toEqual([]);
  });
});
