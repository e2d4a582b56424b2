// Money is an integer count of minor units plus an ISO 4217 code. Never a float.
import { invalid } from './errors.ts';

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: string;
}

// Minor-unit exponents for currencies whose exponent is not 2 (ISO 4217 list one). Every
// other code (KES, USD, EUR, TZS, NGN, …) has 2. Mobile-money rails may settle only whole
// units (M-Pesa KES): that is a gateway conversion, never a change of the exponent here.
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLF: 4,
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
  UYW: 4,
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

export function assertCurrency(code: string): string {
  if (!/^[A-Z]{3}$/.test(code))
    throw invalid('MONEY.BAD_CURRENCY', `"${code}" is not an ISO 4217 currency code`);
  return code;
}

export function currencyExponent(currency: string): number {
  return EXPONENTS[assertCurrency(currency)] ?? 2;
}

export function money(amountMinor: bigint | number, currency: string): Money {
  if (typeof amountMinor === 'number' && !Number.isSafeInteger(amountMinor)) {
    throw invalid('MONEY.NOT_INTEGER', 'Amounts are whole numbers of minor units');
  }
  return { amountMinor: BigInt(amountMinor), currency: assertCurrency(currency) };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency)
    throw invalid('MONEY.CURRENCY_MISMATCH', `Cannot add ${a.currency} to ${b.currency}`);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  return addMoney(a, { amountMinor: -b.amountMinor, currency: b.currency });
}

/** Sum of amounts in one currency; an empty list is zero of `currency`. */
export function sumMoney(values: readonly Money[], currency: string): Money {
  return values.reduce(addMoney, money(0n, currency));
}

export function multiplyMoney(a: Money, factor: bigint | number): Money {
  return { amountMinor: a.amountMinor * BigInt(factor), currency: a.currency };
}

/** Parses a decimal string typed by a person ("12.50") into minor units, exactly. */
export function parseMoney(text: string, currency: string): Money {
  const exp = currencyExponent(currency);
  const m = /^\s*(-)?(\d+)(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) throw invalid('MONEY.BAD_AMOUNT', `"${text}" is not an amount`);
  const frac = m[3] ?? '';
  if (frac.length > exp) throw invalid('MONEY.TOO_PRECISE', `${currency} has ${exp} decimal places`);
  const minor = BigInt((m[2] ?? '0') + frac.padEnd(exp, '0'));
  return { amountMinor: m[1] ? -minor : minor, currency };
}

/** Formats minor units as a plain decimal string ("1250" KES → "12.50"), no float arithmetic. */
export function formatMoney(value: Money): string {
  const exp = currencyExponent(value.currency);
  const negative = value.amountMinor < 0n;
  const digits = (negative ? -value.amountMinor : value.amountMinor).toString().padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${negative ? '-' : ''}${whole}${frac} ${value.currency}`;
}
