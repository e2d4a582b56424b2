// Formatting for /my in the page's language and the tenant's currency and time zone. Money
// stays a decimal string of minor units until Intl formats it (no floats on the way).
import { getLocale } from '#lib/i18n/locale.ts';

const digitsOf = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** "150000" KES minor units → "KES 1,500.00" in the page's language. */
export function money(minor: string, currency: string): string {
  const digits = digitsOf(currency);
  const negative = minor.startsWith('-');
  const abs = (negative ? minor.slice(1) : minor).padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits) || '0';
  const decimal = digits ? `${whole}.${abs.slice(abs.length - digits)}` : whole;
  const fmt = new Intl.NumberFormat(getLocale(), { style: 'currency', currency });
  // A decimal string keeps every digit (Intl.NumberFormat v3); no float is made from money.
  return fmt.format(`${negative ? '-' : ''}${decimal}` as unknown as number);
}

/** Octets as SI units (1 GB = 10⁹ bytes, as the carriers count). */
export function bytes(octets: string | number): string {
  const n = Number(octets);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${new Intl.NumberFormat(getLocale(), { maximumFractionDigits: v < 10 && i > 0 ? 1 : 0 }).format(v)} ${units[i]}`;
}

export const date = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone }).format(new Date(iso));

export const dateTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );

/** A plan's validity in the page's language: 3600 → "1 hour", 604800 → "7 days" (Intl units). */
export function validity(seconds: number | null): string {
  if (!seconds) return '';
  const [n, unit]: [number, 'day' | 'hour' | 'minute'] =
    seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds % 3_600 === 0
        ? [seconds / 3_600, 'hour']
        : [Math.round(seconds / 60), 'minute'];
  return new Intl.NumberFormat(getLocale(), { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}
