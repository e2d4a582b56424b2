import { describe, expect, it } from 'vitest';
import { LoginThrottle, loginKeys } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('refuses after the limit and forgets failures outside the window', () => {
    let now = 0;
    const th = new LoginThrottle({ windowMs: 1000, now: () => now });
    const k = [{ key: 'a', max: 2 }];
    th.recordFailure(k);
    th.recordFailure(k);
    expect(() => th.assertAllowed(k)).toThrow(/Too many/);
    expect(() => th.assertAllowed([{ key: 'b', max: 2 }])).not.toThrow();
    now = 1001;
    expect(() => th.assertAllowed(k)).not.toThrow();
  });

  it('locks one account at one address without locking colleagues behind the same address', () => {
    const th = new LoginThrottle({ windowMs: 60_000 });
    const alice = loginKeys('alice@isp.test', '10.0.0.1');
    for (let i = 0; i < 5; i++) th.recordFailure(alice.all);
    expect(() => th.assertAllowed(alice.all)).toThrow(/Too many/);
    expect(() => th.assertAllowed(loginKeys('bob@isp.test', '10.0.0.1').all)).not.toThrow();
  });

  it('stops one address guessing across many accounts', () => {
    const th = new LoginThrottle({ windowMs: 60_000 });
    for (let i = 0; i < 50; i++) th.recordFailure(loginKeys(`user${i}@isp.test`, '10.0.0.9').all);
    expect(() => th.assertAllowed(loginKeys('new@isp.test', '10.0.0.9').all)).toThrow(/Too many/);
  });

  it('clears the account on success', () => {
    const th = new LoginThrottle({ windowMs: 60_000 });
    const k = loginKeys('a@isp.test', '10.0.0.1');
    for (let i = 0; i < 4; i++) th.recordFailure(k.all);
    th.recordSuccess(k.account);
    for (let i = 0; i < 4; i++) th.recordFailure(k.all);
    expect(() => th.assertAllowed(k.all)).not.toThrow();
  });
});
