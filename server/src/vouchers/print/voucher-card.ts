// The words on a printed card, decided once per batch and once per code, apart from
// where they are drawn, so layouts differ only in geometry.
import { describeValidity, formatMoney, formatRate, formatVoucherCode } from '@kasi/domain';
import { hotspotLoginUrl } from './print-options.ts';

export interface CardSheet {
  brand: string;
  planName: string;
  price: string;
  /** Validity and speed in one line: "1 hour · up to 5Mbps". */
  terms: string;
  footer: string;
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

export function cardSheet(tenantName: string, plan: PlanForPrint, options: CardWords): CardSheet {
  return {
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
