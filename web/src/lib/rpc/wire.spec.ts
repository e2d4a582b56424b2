// The hand-written wire format against the real superjson the server runs: what the browser
// sends, superjson reads back as sent; what superjson writes, the browser reads as written.
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { decode, encode, type Wire } from './wire.ts';

const INT8_MAX = 2n ** 63n - 1n;
const roundTrips = (value: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(encode(value))));
const fromServer = (value: unknown) => decode(JSON.parse(JSON.stringify(superjson.serialize(value))) as Wire);

describe('what the browser sends', () => {
  it('reaches superjson unchanged: money in minor units exactly, dates, undefined', () => {
    const input = {
      priceMinor: INT8_MAX,
      lines: [{ unitPriceMinor: -(2n ** 63n) }, { unitPriceMinor: 1n }, { unitPriceMinor: 0n }],
      validUntil: new Date('2026-12-07T21:00:00.123Z'),
      note: undefined,
      tags: ['a', undefined, null],
      nested: { deeper: { at: new Date(0), count: 3, on: true } },
    };
    expect(roundTrips(input)).toEqual(input);
    expect((roundTrips(input) as typeof input).priceMinor).toBe(INT8_MAX);
  });

  it('escapes keys holding dots and backslashes (a CSV column named "a.b")', () => {
    const input = { mapping: { 'amount.minor': 12n, 'C:\\x': 5n, 'a\\.b': new Date(1) } };
    expect(roundTrips(input)).toEqual(input);
  });

  it('carries a bare value, a bare bigint and no input at all as superjson does', () => {
    for (const value of [undefined, 42n, new Date(5), 'text', 7, null, [1n, [2n]]]) {
      expect(roundTrips(value)).toEqual(value);
      expect(JSON.stringify(encode(value))).toBe(JSON.stringify(superjson.serialize(value)));
    }
  });
});

describe('what the server answers', () => {
  it('is read back as superjson wrote it', () => {
    const output = {
      balanceMinor: INT8_MAX,
      rows: [{ at: new Date('2026-01-01T00:00:00Z'), amountMinor: -5n, memo: undefined }],
      roles: new Set(['owner', 'admin']),
      byDay: new Map<string, bigint>([['2026-12-07', 100n]]),
      ratio: NaN,
      far: Infinity,
      negativeZero: -0,
      pattern: /ab+c/gi,
      link: new URL('https://kasi.example/pay/1'),
      'dotted.key': { 'x\\y': 9n },
    };
    expect(fromServer(output)).toEqual(output);
  });

  it('keeps values shared by reference (superjson repeats them in full)', () => {
    const plan = { id: 'p1', priceMinor: 500n };
    const decoded = fromServer({ a: plan, b: [plan, plan] }) as { a: typeof plan; b: (typeof plan)[] };
    expect(decoded.b[1]).toEqual(plan);
    expect(decoded.a.priceMinor).toBe(500n);
  });

  it('revives an annotated root and the values inside it', () => {
    expect(fromServer(new Set([1n, 2n]))).toEqual(new Set([1n, 2n]));
    expect(fromServer([new Map([[1n, new Date(3)]])])).toEqual([new Map([[1n, new Date(3)]])]);
  });

  it('refuses an annotation it does not know rather than guessing', () => {
    expect(() => decode({ json: { a: 1 }, meta: { values: { a: ['custom'] }, v: 1 } })).toThrow(
      'Unknown transformation: custom',
    );
    expect(() => decode({ json: { a: 1 }, meta: { values: { 'a\\x': ['bigint'] }, v: 1 } })).toThrow(
      'invalid path',
    );
  });
});
