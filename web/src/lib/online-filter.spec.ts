import { describe, expect, it } from 'vitest';
import { onlineFilter, onlineHref } from './online-filter.ts';

describe('online list filter in the address', () => {
  const nas = '0b6c7f1e-3c2a-4d8e-9f00-1234567890ab';
  it('reads known filters and drops empty or unknown ones', () => {
    expect(onlineFilter(new URLSearchParams({ nas, kind: 'voucher', q: ' ab ' }))).toEqual({
      nasId: nas,
      kind: 'voucher',
      q: 'ab',
    });
    expect(onlineFilter(new URLSearchParams({ nas: '', kind: 'robots', q: '' }))).toEqual({});
  });
  it('writes the page, next-page and CSV addresses', () => {
    expect(onlineHref('/online', {})).toBe('/online');
    expect(onlineHref('/online', { nasId: nas, q: 'x' }, { before: 42n })).toBe(
      `/online?nas=${nas}&q=x&before=42`,
    );
    expect(onlineHref('/csv/online.csv', { nasId: nas }, { csv: true })).toBe(`/csv/online.csv?nasId=${nas}`);
  });
});
