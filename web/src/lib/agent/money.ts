// Display of exact amounts (minor units as bigint or decimal string) on the agent screens.
// Mirrors @kasi/domain's formatMoney output ("20.00 KES") without importing its zod-laden
// entry point; money.spec.ts keeps the two in step.

// ISO 4217 minor-unit exponents that are not 2.
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function formatMinor(amountMinor: bigint | string, currency: string): string {
  const exp = EXPONENTS[currency] ?? 2;
  const value = BigInt(amountMinor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${negative ? '-' : ''}${whole}${frac} ${currency}`;
}

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
export const groupCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');
