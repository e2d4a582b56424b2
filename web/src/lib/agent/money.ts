// Exact amounts (minor units as bigint or decimal string) on the agent screens. The agent app
// imports the domain's zod-free modules directly so its bundle stays small without copies.
import { formatMoney } from '@kasi/domain/money';
import { formatVoucherCode } from '@kasi/domain/voucher-code';

export const formatMinor = (amountMinor: bigint | string, currency: string): string =>
  formatMoney({ amountMinor: BigInt(amountMinor), currency });

/** Sums amounts per currency; a phone normally holds one currency, but nothing assumes it. */
export function sumByCurrency(
  rows: Iterable<{ amountMinor: string; currency: string }>,
): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0n) + BigInt(r.amountMinor));
  return totals;
}

/** Commission on one sale, as the server posts it: floor(face × bps / 10 000). */
export const commissionOn = (faceMinor: bigint, bps: number) => (faceMinor * BigInt(bps)) / 10_000n;

/** "ABCD-EFGH-J": grouped for reading aloud, as the operator's printed sheets show codes. */
export const groupCode = formatVoucherCode;
