import { describe, expect, it } from 'vitest';
import { parseDuration, parseFlag, parseGmtOffset, parseInteger, parseRouterDate } from './router.values.ts';

describe('parseDuration', () => {
  it.each([
    ['0s', 0],
    ['5s', 5],
    ['4m5s', 245],
    ['1w2d3h4m5s', 788645],
    ['3w', 1814400],
    ['2d', 172800],
    ['300ms', 0.3],
    ['1s500ms', 1.5],
    ['00:01:05', 65],
    ['1d00:01:05', 86465],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 6);
  });

  it.each(['', 'none', '5x', '1h-2m', '00:61:00', 's', '1.5s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseRouterDate', () => {
  const instant = Date.UTC(2026, 10, 22, 10, 0, 0);

  it('reads the pre-7.10 form', () => {
    expect(parseRouterDate('nov/22/2026 10:00:00')?.getTime()).toBe(instant);
  });

  it('reads the capitalised month of legacy build-time', () => {
    expect(parseRouterDate('Nov/22/2026 10:00:00')?.getTime()).toBe(instant);
  });

  it('reads the 7.10+ form', () => {
    expect(parseRouterDate('2026-11-22 10:00:00')?.getTime()).toBe(instant);
  });

  it('reads both forms to the same instant', () => {
    expect(parseRouterDate('feb/03/2025 08:24:01')).toEqual(parseRouterDate('2025-02-03 08:24:01'));
  });

  it('reads a date alone as midnight', () => {
    expect(parseRouterDate('jan/31/2025')?.getTime()).toBe(Date.UTC(2025, 0, 31));
    expect(parseRouterDate('2025-01-31')?.getTime()).toBe(Date.UTC(2025, 0, 31));
  });

  it("applies the router's UTC offset", () => {
    expect(parseRouterDate('2026-11-22 13:00:00', 180)?.getTime()).toBe(instant);
    expect(parseRouterDate('nov/22/2026 05:00:00', -300)?.getTime()).toBe(instant);
  });

  it.each([
    '',
    'nov/31/2026 10:00:00',
    '2026-02-29 00:00:00',
    'foo/22/2026',
    '2026-11-22 24:00:00',
    '2026-11-22 10:00',
    '22/11/2026',
    '2026-11-22 10:00:00 extra',
  ])('rejects %j', (text) => {
    expect(parseRouterDate(text)).toBeUndefined();
  });
});

describe('parseGmtOffset', () => {
  it.each([
    ['+00:00', 0],
    ['+03:00', 180],
    ['-05:30', -330],
  ])('reads %s', (text, minutes) => {
    expect(parseGmtOffset(text)).toBe(minutes);
  });

  it('rejects other text', () => {
    expect(parseGmtOffset('EAT')).toBeUndefined();
  });
});

describe('parseFlag and parseInteger', () => {
  it('reads true/false and yes/no', () => {
    expect([parseFlag('true'), parseFlag('yes'), parseFlag('false'), parseFlag('no')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(parseFlag('maybe')).toBeUndefined();
    expect(parseFlag(undefined)).toBeUndefined();
  });

  it('reads decimal integers only', () => {
    expect(parseInteger('1500')).toBe(1500);
    expect(parseInteger('-3')).toBe(-3);
    expect(parseInteger('1.5')).toBeUndefined();
    expect(parseInteger('')).toBeUndefined();
    expect(parseInteger(undefined)).toBeUndefined();
  });
});
