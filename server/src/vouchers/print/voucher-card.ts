// The words on a printed card, decided once per batch and once per code, apart from
// where they are drawn, so layouts differ only in geometry. The tenant's logo and colour
// (settings) come with the words: the logo beside the brand, the brand in the colour.
import { describeValidity, formatMoney, formatRate, formatVoucherCode } from '@kasi/domain';
import type { BrandLogo } from '../../settings/brand-logo.ts';
import { hotspotLoginUrl } from './print-options.ts';

export interface CardSheet {
  brand: string;
  planName: string;
  price: string;
  /** Validity and speed in one line: "1 hour · up to 5Mbps". */
  terms: string;
  footer: string;
  /** The tenant's logo (PNG/JPEG), checked; null: none. */
  logo: BrandLogo | null;
  /** #rrggbb for the brand; null: black. */
  colour: string | null;
}

export interface CardFace {
  /** Grouped for reading aloud and typing. */
  code: string;
  /** What the QR code opens: the hotspot login, code prefilled. */
  loginUrl: string;
}

export interface PlanForPrint {
  name: string;
  priceMinor: bigint;
  currency: string;
  validitySeconds: number | null;
  downloadBps: number;
}

/** The words a print run chose; a null brand prints the tenant's name. */
export interface CardWords {
  brand: string | null;
  footer: string;
}

/** The tenant's look on its cards; none by default. */
export interface CardBrand {
  logo: BrandLogo | null;
  colour: string | null;
}

export function cardSheet(
  tenantName: string,
  plan: PlanForPrint,
  options: CardWords,
  look: CardBrand = { logo: null, colour: null },
): CardSheet {
  return {
    ...look,
    brand: options.brand ?? tenantName,
    planName: plan.name,
    price: formatMoney({ amountMinor: plan.priceMinor, currency: plan.currency }),
    terms: `${describeValidity(plan.validitySeconds)} · up to ${formatRate(plan.downloadBps)}bps`,
    footer: options.footer,
  };
}

// The QR code carries the raw code: the hotspot compares it verbatim, dashes would not match.
export const cardFace = (code: string, hotspotUrl: string): CardFace => ({
  code: formatVoucherCode(code),
  loginUrl: hotspotLoginUrl(hotspotUrl, code),
});
