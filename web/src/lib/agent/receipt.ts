// What a printed 58 mm receipt says about one sale: the operator's name (kept on the phone
// at enrolment, so it prints offline), the code grouped for typing, plan, price and time.
import type { SaleRecord } from './agent-db.ts';
import { formatMinor, groupCode } from './money.ts';

export interface Receipt {
  brand: string;
  code: string;
  plan: string;
  price: string;
  soldAt: string;
  /** The phone's sale number, to find the sale if the buyer comes back. */
  reference: string;
}

export function receiptFor(sale: SaleRecord, brand: string | null | undefined, locale?: string): Receipt {
  return {
    brand: brand?.trim() || 'Internet voucher',
    code: groupCode(sale.code),
    plan: `${sale.planName} · ${sale.validityText}`,
    price: formatMinor(sale.amountMinor, sale.currency),
    soldAt: new Date(sale.soldAt).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    reference: `Sale ${sale.seq} · ${sale.saleId.slice(-8)}`,
  };
}
