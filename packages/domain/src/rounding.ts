// Integer division with a named rounding rule, and exact splitting of a whole into parts.
// Money math never leaves bigint: see docs/adr/0015-money-tax-proration.md for which rule
// applies where and why.
import { invalid } from './errors.ts';

/**
 * n / d rounded to the nearest integer, halves away from zero ("commercial" rounding, what
 * tax authorities such as KRA and most EU states prescribe): 2.5 → 3, -2.5 → -3.
 */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d === 0n) throw invalid('MONEY.DIVIDE_BY_ZERO', 'Division by zero');
  if (d < 0n) return divRoundHalfUp(-n, -d);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return negative ? -q : q;
}

/**
 * Splits `total` into parts proportional to `weights` that sum to exactly `total`: each part
 * gets the floor of its share, then the leftover units go one each to the parts with the
 * largest remainders, ties to the earlier part — deterministic, so a replay splits the same.
 */
export function distribute(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.some((w) => w < 0n)) throw invalid('MONEY.NEGATIVE_WEIGHT', 'Weights must be ≥ 0');
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw invalid('MONEY.NO_WEIGHT', 'At least one weight must be positive');
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const parts = weights.map((w) => (abs * w) / sum);
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (abs * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}
