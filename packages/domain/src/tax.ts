// Tax on one invoice line. Rates are basis points (1600 = 16 %); each line records its rate
// and whether its price includes the tax, and is rounded on its own (ADR 0015).
import { invalid } from './errors.ts';
import { divRoundHalfUp } from './rounding.ts';

export interface TaxRate {
  /** Basis points: 1600 = 16 %. 0 = exempt / zero-rated. */
  rateBps: number;
  /** The price already contains the tax (consumer prices in Kenya, the EU). */
  inclusive: boolean;
}

export interface TaxSplit {
  netMinor: bigint;
  taxMinor: bigint;
  grossMinor: bigint;
}

const BPS = 10_000n;

export function assertRateBps(rateBps: number): number {
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 10_000) {
    throw invalid('TAX.BAD_RATE', 'A tax rate is 0–10000 basis points (0–100 %)', { field: 'rateBps' });
  }
  return rateBps;
}

/**
 * Splits an amount into net + tax = gross. Exclusive: the amount is the net and the tax is
 * added. Inclusive: the amount is the gross and the net is taken out of it; the tax is what
 * is left, so net + tax always equals the amount exactly.
 */
export function splitTax(amountMinor: bigint, rate: TaxRate): TaxSplit {
  const bps = BigInt(assertRateBps(rate.rateBps));
  if (rate.inclusive) {
    const netMinor = divRoundHalfUp(amountMinor * BPS, BPS + bps);
    return { netMinor, taxMinor: amountMinor - netMinor, grossMinor: amountMinor };
  }
  const taxMinor = divRoundHalfUp(amountMinor * bps, BPS);
  return { netMinor: amountMinor, taxMinor, grossMinor: amountMinor + taxMinor };
}
