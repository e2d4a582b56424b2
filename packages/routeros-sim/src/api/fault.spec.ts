import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeSentence } from '../protocol/word.codec.ts';
import { TestApiClient } from '../test-support/api.test-client.ts';
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

const identity = ['/system/identity/print'];
const identityReply = [['!re', '=name=MikroTik'], ['!done']];

describe('fault injection', () => {
  it('delays only the matching command; others overtake it', async () => {
    sim.faults.set({ delayMs: 300, delayMatch: '/system/identity/print' });
    const started = Date.now();
    c.send([...identity, '.tag=slow']);
    c.send(['/ppp/aaa/print', '.tag=fast']);
    await c.reply('fast');
    expect(Date.now() - started).toBeLessThan(250);
    await c.reply('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('never answers a silenced command, so the client must time out', async () => {
    sim.faults.set({ silence: /^\/interface\// });
    await expect(c.run(['/interface/print'], 300)).rejects.toThrow(/no matching sentence/);
    expect(await c.run(identity)).toEqual(identityReply);
    sim.faults.set({ silence: undefined });
    expect((await c.run(['/interface/print'])).at(-1)).toEqual(['!done']);
  });

  it('delivers a reply one byte per TCP write in byte-by-byte mode', async () => {
    sim.faults.set({ writeMode: 'byte-by-byte' });
    const before = c.chunks.length;
    expect(await c.run(identity)).toEqual(identityReply);
    const chunks = c.chunks.slice(before);
    const bytes = chunks.reduce((n, chunk) => n + chunk.length, 0);
    expect(bytes).toBe(encodeSentence(['!re', '=name=MikroTik']).length + encodeSentence(['!done']).length);
    // The reader must have been fed many small pieces, not one sentence per read.
    expect(chunks.length).toBeGreaterThan(bytes / 4);
  });

  it('coalesces the replies of several commands into one TCP write', async () => {
    sim.faults.set({ writeMode: 'coalesced' });
    const before = c.chunks.length;
    c.socket.write(
      Buffer.concat([encodeSentence([...identity, '.tag=a']), encodeSentence(['/ppp/aaa/print', '.tag=b'])]),
    );
    await c.reply('a');
    await c.reply('b');
    expect(c.chunks.length - before).toBe(1);
  });

  it('keeps sentence order when the write mode changes mid-stream', async () => {
    sim.faults.set({ writeMode: 'byte-by-byte' });
    c.send([...identity, '.tag=1']);
    sim.faults.set({ writeMode: 'normal' });
    c.send([...identity, '.tag=2']);
    expect((await c.reply('1')).at(-1)).toEqual(['!done', '.tag=1']);
    expect((await c.reply('2')).at(-1)).toEqual(['!done', '.tag=2']);
  });

  it('drops the connection after N reply sentences of the matching command', async () => {
    sim.faults.set({ dropAfterSentences: { count: 2, match: '/interface/print' } });
    c.send(['/interface/print', '=.proplist=name']);
    await c.closed;
    expect(c.received.slice(1)).toEqual([
      ['!re', '=name=ether1'],
      ['!re', '=name=ether2'],
    ]);
  });

  it('answers a matching command with !fatal and closes', async () => {
    sim.faults.set({ fatalOn: { message: 'out of memory', match: '/ppp/active/print' } });
    expect(await c.run(['/ppp/active/print', '.tag=x'])).toEqual([['!fatal', 'out of memory']]);
    await c.closed;
  });

  it('sends !fatal to every connection on demand', async () => {
    const other = await TestApiClient.connect(sim.port);
    await other.login();
    expect(sim.connectionCount()).toBe(2);
    sim.sendFatal('rebooting');
    expect(await c.next()).toEqual(['!fatal', 'rebooting']);
    expect(await other.next()).toEqual(['!fatal', 'rebooting']);
    await Promise.all([c.closed, other.closed]);
  });

  it('answers /quit with !fatal "session terminated on request" and closes', async () => {
    expect(await c.run(['/quit'])).toEqual([['!fatal', 'session terminated on request']]);
    await c.closed;
  });

  it('fails the Nth write with a trap and leaves state unchanged by it', async () => {
    sim.faults.set({ failNthWrite: { nth: 2, message: 'failure: simulated flash error', category: 4 } });
    expect((await c.run(['/ppp/secret/add', '=name=a']))[0]).toEqual(['!done', '=ret=*1']);
    expect(await c.run(['/ppp/secret/add', '=name=b'])).toEqual([
      ['!trap', '=category=4', '=message=failure: simulated flash error'],
      ['!done'],
    ]);
    expect((await c.run(['/ppp/secret/add', '=name=c']))[0]).toEqual(['!done', '=ret=*2']);
    expect(sim.state.rows('/ppp/secret').map((r) => r.name)).toEqual(['a', 'c']);
  });

  it('can put .tag first in reply sentences', async () => {
    sim.faults.set({ tagPosition: 'first' });
    expect(await c.run(['/ppp/secret/add', '=name=a', '.tag=t'])).toEqual([['!done', '.tag=t', '=ret=*1']]);
  });

  it('cuts every connection on dropConnections', async () => {
    sim.dropConnections();
    await c.closed;
    expect(c.isClosed).toBe(true);
  });

  it('closes a connection that sends a reserved control byte', async () => {
    c.socket.write(Uint8Array.of(0xf8));
    await c.closed;
  });
});
