import { describe, expect, it } from 'vitest';
import { filterFromUrl, filterHref, PAGE_SIZE } from './subscriber-filter.ts';

const planId = '3f0c8a52-4a7e-4d59-9b38-1b2a5f0f8e11';

describe('subscriber list address', () => {
  it('reads search, filters and page from the address', () => {
    const f = filterFromUrl(
      new URL(`https://kasi.test/subscribers?q=jane&status=suspended&plan=${planId}&page=3`),
    );
    expect(f.query).toEqual({ search: 'jane', status: 'suspended', planId });
    expect(f.offset).toBe(2 * PAGE_SIZE);
  });

  it('drops only the malformed filter, and a bad page is the first', () => {
    const f = filterFromUrl(
      new URL('https://kasi.test/subscribers?status=sleeping&plan=nope&tag=vip&page=x'),
    );
    expect(f.query).toEqual({ tag: 'vip' });
    expect(f.page).toBe(1);
    expect(f.text.status).toBe('sleeping');
  });

  it('reads the billing filter: overdue, not overdue, anything else ignored', () => {
    const q = (v: string) => filterFromUrl(new URL(`https://kasi.test/subscribers?billing=${v}`)).query;
    expect(q('overdue')).toEqual({ overdue: true });
    expect(q('current')).toEqual({ overdue: false });
    expect(q('late')).toEqual({});
  });

  it('writes an address without empty filters', () => {
    expect(
      filterHref(
        '/subscribers',
        { q: ' jane ', status: '', plan: '', router: '', tag: 'vip', billing: 'overdue' },
        2,
      ),
    ).toBe('/subscribers?q=jane&tag=vip&billing=overdue&page=2');
    expect(
      filterHref('/subscribers', { q: '', status: '', plan: '', router: '', tag: '', billing: '' }),
    ).toBe('/subscribers');
  });
});
