// Proration by the second over a billing period (ADR 0015). The used and unused parts of a
// price are one exact split of it, so they always add back to the price.
import { invalid } from './errors.ts';
import { distribute } from './rounding.ts';

export interface Period {
  start: Date;
  end: Date;
}

export interface Prorated {
  usedMinor: bigint;
  unusedMinor: bigint;
}

function seconds(from: Date, to: Date): bigint {
  return BigInt(Math.floor((to.getTime() - from.getTime()) / 1000));
}

/** The price of a period split at `at` (clamped into the period) by whole seconds. */
export function prorate(priceMinor: bigint, period: Period, at: Date): Prorated {
  const total = seconds(period.start, period.end);
  if (total <= 0n) throw invalid('PRORATION.EMPTY_PERIOD', 'A period must end after it starts');
  const t = Math.min(Math.max(at.getTime(), period.start.getTime()), period.end.getTime());
  const used = seconds(period.start, new Date(t));
  const [usedMinor = 0n, unusedMinor = 0n] = distribute(priceMinor, [used, total - used]);
  return { usedMinor, unusedMinor };
}

export interface PlanChangeProration {
  /** What is given back for the unused rest of the old plan's period. */
  creditMinor: bigint;
  /** What the new plan costs for the same rest of the period. */
  chargeMinor: bigint;
  /** charge − credit: positive (upgrade) is invoiced now, negative (downgrade) is credited. */
  netMinor: bigint;
}

export function prorateChange(
  oldPriceMinor: bigint,
  newPriceMinor: bigint,
  period: Period,
  at: Date,
): PlanChangeProration {
  const creditMinor = prorate(oldPriceMinor, period, at).unusedMinor;
  const chargeMinor = prorate(newPriceMinor, period, at).unusedMinor;
  return { creditMinor, chargeMinor, netMinor: chargeMinor - creditMinor };
}
