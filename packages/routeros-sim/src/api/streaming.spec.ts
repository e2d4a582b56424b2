import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRows } from '../state/router.state.ts';
import { TestApiClient, attrs, tagOf } from '../test-support/api.test-client.ts';
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

const tagged = (tag: string) => (s: string[]) => tagOf(s) === tag;

/** A round trip on the same connection: commands sent before it have been taken in. */
const sync = () => c.run(['/system/identity/print', '.tag=sync']);

describe('listen and /cancel', () => {
  it('streams adds, changes and removals (.dead=true on v7) until cancelled', async () => {
    c.send(['/ppp/secret/listen', '.tag=L']);
    await sync();
    const other = await TestApiClient.connect(sim.port);
    await other.login();
    await other.run(['/ppp/secret/add', '=name=amina', '=password=a']);
    await other.run(['/ppp/secret/set', '=.id=*1', '=comment=vip']);
    await other.run(['/ppp/secret/remove', '=.id=*1']);
    other.close();

    const added = await c.next(tagged('L'));
    expect(added[0]).toBe('!re');
    expect(attrs(added)).toMatchObject({ '.id': '*1', name: 'amina' });
    expect(attrs(await c.next(tagged('L')))).toMatchObject({ '.id': '*1', comment: 'vip' });
    expect(await c.next(tagged('L'))).toEqual(['!re', '=.id=*1', '=.dead=true', '.tag=L']);

    c.send(['/cancel', '=tag=L', '.tag=C']);
    const order = [await c.next(), await c.next(), await c.next()];
    expect(order).toEqual([
      ['!trap', '=category=2', '=message=interrupted', '.tag=L'],
      ['!done', '.tag=C'],
      ['!done', '.tag=L'],
    ]);
    sim.state.add('/ppp/secret', { name: 'late' });
    await expect(c.next(tagged('L'), 150)).rejects.toThrow(/no matching sentence/);
  });

  it('marks removals with .dead=yes on 6.49, as the API manual shows', async () => {
    const old = await startRouterOsSim({ version: '6.49' });
    const client = await TestApiClient.connect(old.port);
    await client.login();
    client.send(['/ip/hotspot/active/listen', '.tag=L']);
    await client.run(['/system/identity/print']);
    const session = old.subscribers.connectHotspot({
      user: 'v',
      address: '10.5.50.2',
      macAddress: '00:00:00:00:00:02',
    });
    old.subscribers.disconnectHotspot('v');
    await client.next(tagged('L'));
    expect(await client.next(tagged('L'))).toEqual(['!re', `=.id=${session['.id']}`, '=.dead=yes', '.tag=L']);
    client.close();
    await old.close();
  });

  it('applies .proplist and queries to what listen reports', async () => {
    c.send(['/interface/listen', '=.proplist=name,disabled', '?name=ether4', '.tag=L']);
    await sync();
    sim.state.update('/interface', '*3', { disabled: 'true' });
    sim.state.update('/interface', '*4', { disabled: 'true' });
    expect(await c.next(tagged('L'))).toEqual(['!re', '=name=ether4', '=disabled=true', '.tag=L']);
    c.send(['/cancel', '=tag=L']);
    expect((await c.reply('L')).at(-1)).toEqual(['!done', '.tag=L']);
  });

  it('cancels every running command when /cancel has no tag', async () => {
    c.send(['/ip/hotspot/active/listen', '.tag=a']);
    c.send(['/ppp/active/listen', '.tag=b']);
    c.send(['/cancel']);
    expect(await c.reply('a')).toEqual([
      ['!trap', '=category=2', '=message=interrupted', '.tag=a'],
      ['!done', '.tag=a'],
    ]);
    expect((await c.reply('b')).at(-1)).toEqual(['!done', '.tag=b']);
    expect(await c.reply(undefined)).toEqual([['!done']]);
  });

  it('stops a long print part-way when it is cancelled', async () => {
    addRows(sim.state, '/ip/hotspot/user', 10_000, (i) => ({ name: `v${i}` }));
    c.send(['/ip/hotspot/user/print', '.tag=P']);
    c.send(['/cancel', '=tag=P', '.tag=C']);
    const reply = await c.reply('P', 5000);
    const rows = reply.filter((s) => s[0] === '!re');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(10_000);
    expect(reply.slice(-2)).toEqual([
      ['!trap', '=category=2', '=message=interrupted', '.tag=P'],
      ['!done', '.tag=P'],
    ]);
  });

  it('follow-only streams changes like listen', async () => {
    c.send(['/ip/hotspot/active/print', '=follow-only=', '.tag=F']);
    await sync();
    sim.subscribers.connectHotspot({ user: 'v7', address: '10.5.50.7', macAddress: 'AA:00:00:00:00:07' });
    expect(attrs(await c.next(tagged('F')))).toMatchObject({ user: 'v7', address: '10.5.50.7' });
  });
});

describe('concurrent tagged commands', () => {
  it('interleaves replies: a short command finishes while a long print is still streaming', async () => {
    addRows(sim.state, '/ip/hotspot/user', 3000, (i) => ({ name: `v${i}` }));
    c.send(['/ip/hotspot/user/print', '.tag=big']);
    c.send(['/system/identity/print', '.tag=small']);
    const big = await c.reply('big', 5000);
    const small = await c.reply('small');
    expect(small).toEqual([
      ['!re', '=name=MikroTik', '.tag=small'],
      ['!done', '.tag=small'],
    ]);
    expect(big.filter((s) => s[0] === '!re')).toHaveLength(3000);
    const arrival = c.received.map((s) => `${s[0]}:${tagOf(s)}`);
    const smallDone = arrival.indexOf('!done:small');
    expect(smallDone).toBeLessThan(arrival.indexOf('!done:big'));
    expect(arrival.slice(0, smallDone).filter((a) => a === '!re:big').length).toBeLessThan(3000);
  });

  it('echoes each tag on every sentence of its own reply', async () => {
    c.send(['/interface/print', '=.proplist=name', '.tag=1']);
    c.send(['/ppp/secret/add', '=name=x', '.tag=2']);
    c.send(['/ppp/secret/add', '=name=x', '.tag=3']);
    expect((await c.reply('1')).every((s) => s.at(-1) === '.tag=1')).toBe(true);
    expect(await c.reply('2')).toEqual([['!done', '=ret=*1', '.tag=2']]);
    expect(await c.reply('3')).toEqual([
      ['!trap', '=message=failure: secret with the same name already exists', '.tag=3'],
      ['!done', '.tag=3'],
    ]);
  });
});
