// Monthly recurring revenue from plan terms, in integer arithmetic only: each plan's price per
// billing period becomes an exact fraction of a month (a year is 12 months, 52 weeks or 365
// days), the fractions are summed exactly and rounded once, half up, to minor units.
import type { PeriodUnit } from '@kasi/domain';

export interface MrrGroup {
  priceMinor: bigint;
  unit: PeriodUnit;
  /** Billing periods per invoice: 3 months, 2 weeks… */
  count: number;
  /** Active subscribers on these terms. */
  subscribers: number;
}

/** Periods of this unit in a year; a month is a twelfth of it. */
const PER_YEAR: Record<PeriodUnit, bigint> = { month: 12n, week: 52n, day: 365n };

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

export function monthlyRecurringMinor(groups: readonly MrrGroup[]): bigint {
  let num = 0n;
  let den = 1n;
  for (const g of groups) {
    // price × subscribers × periods-per-year / (count × 12) per month.
    const n = g.priceMinor * BigInt(g.subscribers) * PER_YEAR[g.unit];
    const d = BigInt(g.count) * 12n;
    num = num * d + n * den;
    den *= d;
    const k = gcd(num < 0n ? -num : num, den);
    if (k > 1n) {
      num /= k;
      den /= k;
    }
  }
  return (2n * num + den) / (2n * den);
}
