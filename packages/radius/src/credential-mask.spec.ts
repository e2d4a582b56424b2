import { describe, expect, it } from 'vitest';
import { maskUserName } from './credential-mask.ts';

describe('maskUserName', () => {
  it('keeps the first two characters and the length of a voucher code', () => {
    expect(maskUserName('A9B2RQN7H')).toBe('A9…(9)');
  });

  it('shows only the length of a short name, and counts characters, not bytes', () => {
    expect(maskUserName('bob')).toBe('…(3)');
    expect(maskUserName('')).toBe('…(0)');
    expect(maskUserName('žluťoučký')).toBe('žl…(9)');
  });
});
