// The sell buttons: available stock grouped by plan and price, cheapest first.
import type { StockItem } from './agent-db.ts';

export interface Product {
  key: string;
  planName: string;
  validityText: string;
  priceMinor: string;
  currency: string;
  left: number;
}

export function groupProducts(stock: readonly StockItem[]): Product[] {
  const byKey = new Map<string, Product>();
  for (const item of stock) {
    if (item.status !== 'available') continue;
    const product = byKey.get(item.product);
    if (product) product.left++;
    else {
      const { planName, validityText, priceMinor, currency } = item;
      byKey.set(item.product, { key: item.product, planName, validityText, priceMinor, currency, left: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => {
    const price = BigInt(a.priceMinor) - BigInt(b.priceMinor);
    return price !== 0n ? (price < 0n ? -1 : 1) : a.planName.localeCompare(b.planName);
  });
}
