import { describe, expect, it } from 'vitest';
import type { StockItem } from './agent-db.ts';
import { groupProducts } from './products.ts';
import { productKey } from './stock-feed.ts';

const item = (
  code: string,
  planName: string,
  priceMinor: string,
  status: StockItem['status'] = 'available',
): StockItem => ({
  code,
  product: productKey(planName, priceMinor, 'KES'),
  leaseId: 'lease',
  planName,
  validityText: '1 day',
  priceMinor,
  currency: 'KES',
  status,
});

describe('sell buttons', () => {
  it('group available codes by plan and price, cheapest first, with the count left', () => {
    const products = groupProducts([
      item('A', 'Day', '10000'),
      item('B', 'Hour', '2000'),
      item('C', 'Day', '10000'),
      item('D', 'Hour', '2000', 'sold'),
      item('E', 'Day promo', '9000'),
    ]);
    expect(products.map((p) => [p.planName, p.priceMinor, p.left])).toEqual([
      ['Hour', '2000', 1],
      ['Day promo', '9000', 1],
      ['Day', '10000', 2],
    ]);
  });

  it('compare prices as integers, not as text', () => {
    const products = groupProducts([item('A', 'Big', '100000'), item('B', 'Small', '9999')]);
    expect(products.map((p) => p.planName)).toEqual(['Small', 'Big']);
  });
});
