import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loginAttempts } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { claimLoginAttempt, loginKeys, purgeLoginAttempts, recordLoginSuccess } from './login-throttle.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const claim = (keys: Array<{ key: string; max: number }>) => claimLoginAttempt(t.app.db, keys);
const outcome = (p: Promise<void>) =>
  p.then(
    () => 'counted',
    (e: { code?: string }) => e.code,
  );

describe('login throttle in PostgreSQL', () => {
  it('refuses past the limit with a retry delay and forgets attempts once the window ends', async () => {
    const k = [{ key: 'window-test', max: 2 }];
    await claim(k);
    await claim(k);
    const refused = await claim(k).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
      details: { retryAfterSeconds: expect.any(Number) as number },
    });
    expect((refused as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThan(
      14 * 60,
    );
    await expect(claim([{ key: 'other-key', max: 2 }])).resolves.toBeUndefined();
    await t.app.db.update(loginAttempts).set({ windowStartedAt: sql`now() - interval '16 minutes'` });
    await expect(claim(k)).resolves.toBeUndefined();
  });

  it('counts exactly the limit when many attempts arrive at once', async () => {
    const keys = loginKeys('rush@isp.test', '198.51.100.1').all;
    const results = await Promise.all(Array.from({ length: 30 }, () => outcome(claim(keys))));
    expect(results.filter((r) => r === 'counted')).toHaveLength(5);
    expect(results.filter((r) => r === 'AUTH.TOO_MANY_ATTEMPTS')).toHaveLength(25);
  });

  it('counts a refused attempt against no key', async () => {
    // The account at this address is full; more tries from here must not use up the
    // account's allowance from everywhere else.
    const here = loginKeys('victim@isp.test', '198.51.100.2').all;
    for (let i = 0; i < 30; i++) await outcome(claim(here));
    const elsewhere = loginKeys('victim@isp.test', '198.51.100.3').all;
    for (let i = 0; i < 5; i++) await expect(claim(elsewhere)).resolves.toBeUndefined();
  });

  it('locks one account at one address without locking colleagues behind the same address', async () => {
    const alice = loginKeys('alice@isp.test', '10.0.0.1');
    for (let i = 0; i < 5; i++) await claim(alice.all);
    await expect(claim(alice.all)).rejects.toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS' });
    await expect(claim(loginKeys('bob@isp.test', '10.0.0.1').all)).resolves.toBeUndefined();
  });

  it('stops one address guessing across many accounts, and only that address', async () => {
    for (let i = 0; i < 50; i++) await claim(loginKeys(`user${i}@isp.test`, '10.0.0.9').all);
    await expect(claim(loginKeys('new@isp.test', '10.0.0.9').all)).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
    await expect(claim(loginKeys('user1@isp.test', '10.0.0.10').all)).resolves.toBeUndefined();
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 0; i < 50; i++)
      await claim(loginKeys(`v6-${i}@isp.test`, `2001:db8:6:6::${i.toString(16)}`).all);
    await expect(claim(loginKeys('v6-new@isp.test', '2001:db8:6:6::ffff').all)).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
  });

  it('clears the account and gives the attempt back to the address on success', async () => {
    const k = loginKeys('a@isp.test', '10.0.0.1');
    for (let i = 0; i < 4; i++) await claim(k.all);
    await recordLoginSuccess(t.app.db, k);
    for (let i = 0; i < 5; i++) await expect(claim(k.all)).resolves.toBeUndefined();

    const office = loginKeys('staff@isp.test', '10.0.0.50');
    for (let i = 0; i < 60; i++) {
      await claim(office.all);
      await recordLoginSuccess(t.app.db, office);
    }
    await expect(claim(office.all)).resolves.toBeUndefined();
  });

  it('purges rows whose window ended', async () => {
    await claim([{ key: 'old', max: 5 }]);
    await t.app.db.update(loginAttempts).set({ windowStartedAt: sql`now() - interval '1 hour'` });
    await claim([{ key: 'fresh', max: 5 }]);
    expect(await purgeLoginAttempts(t.app.db)).toBeGreaterThan(0);
    expect(await t.app.db.select().from(loginAttempts)).toHaveLength(1);
  });
});
