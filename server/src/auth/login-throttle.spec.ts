import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('refuses after the limit and forgets failures outside the window', () => {
    let now = 0;
    const th = new LoginThrottle({ maxFailures: 2, windowMs: 1000, now: () => now });
    th.recordFailure(['a']);
    th.recordFailure(['a']);
    expect(() => th.assertAllowed(['a'])).toThrow(/Too many/);
    expect(() => th.assertAllowed(['b'])).not.toThrow();
    now = 1001;
    expect(() => th.assertAllowed(['a'])).not.toThrow();
  });

  it('clears an account on success', () => {
    const th = new LoginThrottle({ maxFailures: 1, windowMs: 1000 });
    th.recordFailure(['a']);
    th.recordSuccess(['a']);
    expect(() => th.assertAllowed(['a'])).not.toThrow();
  });
});
