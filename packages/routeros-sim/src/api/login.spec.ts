import { afterEach, describe, expect, it } from 'vitest';
import { TestApiClient } from '../test-support/api.test-client.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let sim: RouterOsSim | undefined;
let client: TestApiClient | undefined;

afterEach(async () => {
  client?.close();
  await sim?.close();
});

async function open(version: '6.49' | '7.17' | '7.18'): Promise<TestApiClient> {
  sim = await startRouterOsSim({
    version,
    users: [
      { name: 'admin', password: 's3cret', group: 'full' },
      { name: 'viewer', password: 'v', group: 'read' },
      { name: 'webonly', password: 'w', group: 'no-api' },
    ],
    groups: [{ name: 'no-api', policy: ['read', 'write', 'web'] }],
  });
  client = await TestApiClient.connect(sim.port);
  return client;
}

describe.each(['6.49', '7.17', '7.18'] as const)('login on the %s profile', (version) => {
  it('accepts plain /login =name= =password= with a bare !done', async () => {
    const c = await open(version);
    expect(await c.login('admin', 's3cret')).toEqual([['!done']]);
    expect(await c.run(['/system/identity/print'])).toEqual([['!re', '=name=MikroTik'], ['!done']]);
  });

  it('traps a wrong password with RouterOS text and keeps the connection for a retry', async () => {
    const c = await open(version);
    expect(await c.login('admin', 'nope')).toEqual([
      ['!trap', '=message=invalid user name or password (6)'],
      ['!done'],
    ]);
    expect(c.isClosed).toBe(false);
    expect(await c.login('admin', 's3cret')).toEqual([['!done']]);
  });

  it('traps an unknown user exactly like a wrong password', async () => {
    const c = await open(version);
    expect((await c.login('ghost', 'x'))[0]).toEqual(['!trap', '=message=invalid user name or password (6)']);
  });

  it('refuses a user whose group lacks the api policy with "not allowed (9)"', async () => {
    const c = await open(version);
    expect(await c.login('webonly', 'w')).toEqual([['!trap', '=message=not allowed (9)'], ['!done']]);
    expect((await c.run(['/interface/print']))[0]).toEqual(['!trap', '=message=not logged in']);
  });
});

describe('before and around login', () => {
  it('refuses menu commands until logged in', async () => {
    const c = await open('7.18');
    expect(await c.run(['/interface/print', '.tag=a'])).toEqual([
      ['!trap', '=message=not logged in', '.tag=a'],
      ['!done', '.tag=a'],
    ]);
  });

  it('hands out a challenge to a bare /login but never accepts the old MD5 response', async () => {
    const c = await open('6.49');
    const [challenge] = await c.run(['/login']);
    expect(challenge?.[0]).toBe('!done');
    expect(challenge?.[1]).toMatch(/^=ret=[0-9a-f]{32}$/);
    const answer = await c.run(['/login', '=name=admin', '=response=00' + '0'.repeat(32)]);
    expect(answer[0]).toEqual(['!trap', '=message=invalid user name or password (6)']);
  });

  it('lets a read-only user print but traps writes with "not enough permissions (9)"', async () => {
    const c = await open('7.18');
    await c.login('viewer', 'v');
    expect((await c.run(['/ppp/secret/print']))[0]).toEqual(['!empty']);
    expect(await c.run(['/ppp/secret/add', '=name=x'])).toEqual([
      ['!trap', '=message=not enough permissions (9)'],
      ['!done'],
    ]);
    expect(sim?.state.rows('/ppp/secret')).toEqual([]);
  });
});
