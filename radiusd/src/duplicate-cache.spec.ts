import { describe, expect, it } from 'vitest';
import { DuplicateCache } from './duplicate-cache.ts';

describe('DuplicateCache', () => {
  const key = DuplicateCache.key('10.0.0.1', 5000, 7, Buffer.alloc(16, 1));

  it('drops a retransmission in flight and replays the answer once sent', () => {
    const c = new DuplicateCache(1000);
    expect(c.begin(key, 0)).toEqual({ kind: 'new' });
    expect(c.begin(key, 10)).toEqual({ kind: 'in_flight' });
    c.answer(key, Buffer.from('reply'), 20);
    expect(c.begin(key, 30)).toEqual({ kind: 'answered', reply: Buffer.from('reply') });
  });

  it('treats the same identifier with a new authenticator as a new request, and expires entries', () => {
    const c = new DuplicateCache(1000);
    c.begin(key, 0);
    expect(c.begin(DuplicateCache.key('10.0.0.1', 5000, 7, Buffer.alloc(16, 2)), 0)).toEqual({ kind: 'new' });
    c.answer(key, Buffer.from('r'), 0);
    c.sweep(2000);
    expect(c.size).toBe(0);
    expect(c.begin(key, 2000)).toEqual({ kind: 'new' });
  });
});
