import { describe, expect, it } from 'vitest';
import { DuplicateCache } from './duplicate-cache.ts';

describe('DuplicateCache', () => {
  const key = DuplicateCache.key('10.0.0.1', 5000, 7, Buffer.alloc(16, 1));

  it('drops a retransmission in flight and replays the answer once sent', () => {
    const c = new DuplicateCache(1000, 0);
    expect(c.begin(key, 0)).toEqual({ kind: 'new' });
    expect(c.begin(key, 10)).toEqual({ kind: 'in_flight' });
    c.answer(key, Buffer.from('reply'), 20);
    expect(c.begin(key, 30)).toEqual({ kind: 'answered', reply: Buffer.from('reply') });
  });

  it('treats the same identifier with a new authenticator, or another source port, as a new request', () => {
    const c = new DuplicateCache(1000, 0);
    c.begin(key, 0);
    expect(c.begin(DuplicateCache.key('10.0.0.1', 5000, 7, Buffer.alloc(16, 2)), 0)).toEqual({ kind: 'new' });
    expect(c.begin(DuplicateCache.key('10.0.0.1', 5001, 7, Buffer.alloc(16, 1)), 0)).toEqual({ kind: 'new' });
  });

  it('remembers an answer for at least the ttl, at most twice the ttl', () => {
    const c = new DuplicateCache(1000, 0);
    c.begin(key, 900);
    c.answer(key, Buffer.from('r'), 950);
    // Rotated at 1000: still there, in the older generation.
    expect(c.begin(key, 1000)).toMatchObject({ kind: 'answered' });
    expect(c.begin(key, 1949)).toMatchObject({ kind: 'answered' });
    // Rotated again at 2000: gone.
    c.sweep(2000);
    expect(c.size).toBe(0);
    expect(c.begin(key, 2000)).toEqual({ kind: 'new' });
  });

  it('keeps an answer given after a rotation in the newer generation', () => {
    const c = new DuplicateCache(1000, 0);
    c.begin(key, 990);
    c.answer(key, Buffer.from('late'), 1010); // the request began before the rotation
    expect(c.begin(key, 1990)).toMatchObject({ kind: 'answered' });
    expect(c.size).toBe(1);
  });

  it('forgets everything after a long idle spell, and an abandoned request at once', () => {
    const c = new DuplicateCache(1000, 0);
    c.begin(key, 10);
    c.answer(key, Buffer.from('r'), 10);
    c.sweep(5000);
    expect(c.size).toBe(0);
    c.begin(key, 5000);
    c.abandon(key);
    expect(c.begin(key, 5001)).toEqual({ kind: 'new' });
  });
});

describe('DuplicateCache.key', () => {
  const auth = Buffer.alloc(16, 9);
  it('tells sources, ports, identifiers and authenticators apart', () => {
    const keys = new Set([
      DuplicateCache.key('10.0.0.1', 5000, 7, auth),
      DuplicateCache.key('10.0.0.11', 5000, 7, auth),
      DuplicateCache.key('10.0.0.1', 5001, 7, auth),
      DuplicateCache.key('10.0.0.1', 5000, 8, auth),
      DuplicateCache.key('10.0.0.1', 5000, 7, Buffer.alloc(16, 8)),
      DuplicateCache.key('fe80::1%eth0', 5000, 7, auth),
    ]);
    expect(keys.size).toBe(6);
    expect(DuplicateCache.key('10.0.0.1', 5000, 7, auth)).toBe(DuplicateCache.key('10.0.0.1', 5000, 7, auth));
  });
});
