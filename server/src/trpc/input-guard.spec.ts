import { describe, expect, it } from 'vitest';
import { assertCleanInput } from './input-guard.ts';

describe('assertCleanInput', () => {
  it('lets ordinary input through', () => {
    expect(() =>
      assertCleanInput({
        name: 'Day pass',
        price: 2n ** 63n - 1n,
        at: new Date(),
        tags: ['a'],
        m: new Map([['k', 1]]),
      }),
    ).not.toThrow();
  });

  it('refuses a NUL character in a value or a key, however deep', () => {
    expect(() => assertCleanInput({ a: [{ b: 'x\u0000' }] })).toThrow(
      expect.objectContaining({ code: 'INPUT.NUL_CHARACTER' }),
    );
    expect(() => assertCleanInput({ ['k\u0000']: 1 })).toThrow(
      expect.objectContaining({ code: 'INPUT.NUL_CHARACTER' }),
    );
    expect(() => assertCleanInput(new Set(['\u0000']))).toThrow(
      expect.objectContaining({ code: 'INPUT.NUL_CHARACTER' }),
    );
  });

  it('refuses integers beyond 64 bits', () => {
    expect(() => assertCleanInput({ p: 2n ** 63n })).toThrow(
      expect.objectContaining({ code: 'INPUT.INTEGER_OUT_OF_RANGE' }),
    );
    expect(() => assertCleanInput({ p: -(2n ** 63n) - 1n })).toThrow(
      expect.objectContaining({ code: 'INPUT.INTEGER_OUT_OF_RANGE' }),
    );
  });

  it('refuses nesting deeper than any input of ours, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => assertCleanInput(deep)).toThrow(expect.objectContaining({ code: 'INPUT.TOO_DEEP' }));
  });
});
