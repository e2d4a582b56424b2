// Dates and times as the tenant reads them: its BCP 47 locale (en-KE writes 07/12/2026, not
// the browser's 12/7/2026) and its time zone, whatever the phone or laptop is set to. Zod-free
// and tiny so the agent app and /my can import it. Money stays with @kasi/domain/money (exact
// minor units, the currency's own decimals).

export interface TenantFormat {
  /** BCP 47 tag, e.g. en-KE, sw-TZ, fr-CD. */
  locale?: string | undefined;
  /** IANA zone, e.g. Africa/Nairobi. */
  timeZone?: string | undefined;
}

let tenant: TenantFormat = {};

/** Called once the app knows the tenant (sign-in, or the agent profile kept on the phone). */
export function setTenantFormat(next: TenantFormat): void {
  tenant = { locale: valid(next.locale), timeZone: validZone(next.timeZone) };
}

function valid(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, options: Intl.DateTimeFormatOptions, f: TenantFormat) {
  const key = `${kind}|${f.locale ?? ''}|${f.timeZone ?? ''}`;
  let fmt = cache.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(f.locale, { ...options, ...(f.timeZone ? { timeZone: f.timeZone } : {}) });
    cache.set(key, fmt);
  }
  return fmt;
}

const toDate = (d: Date | string | number) => (d instanceof Date ? d : new Date(d));

/** 07/12/2026 in en-KE. */
export const formatDate = (d: Date | string | number, f: TenantFormat = tenant) =>
  formatter('date', { day: '2-digit', month: '2-digit', year: 'numeric' }, f).format(toDate(d));

/** 07/12/2026, 14:05 in en-KE (the locale decides 12- or 24-hour). */
export const formatDateTime = (d: Date | string | number, f: TenantFormat = tenant) =>
  formatter(
    'datetime',
    { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
    f,
  ).format(toDate(d));

/** 14:05 — a time of today. */
export const formatTime = (d: Date | string | number, f: TenantFormat = tenant) =>
  formatter('time', { hour: '2-digit', minute: '2-digit' }, f).format(toDate(d));

/** The tenant's locale and zone as set (for a formatter made elsewhere, e.g. a plot's axis). */
export const tenantFormat = (): TenantFormat => tenant;

/**
 * A calendar day the server names as YYYY-MM-DD (a day of the tenant's calendar, ADR 0027):
 * written in the tenant's locale and never shifted by a time zone.
 */
export function formatDay(day: string, f: TenantFormat = tenant): string {
  const at = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return day;
  return formatDate(at, { locale: f.locale, timeZone: 'UTC' });
}

const numbers = new Map<string, Intl.NumberFormat>();
/** 12,345 in en-KE, 12 345 in fr (the locale's grouping); up to two decimals. */
export function formatNumber(n: number | bigint, f: TenantFormat = tenant): string {
  const key = f.locale ?? '';
  let fmt = numbers.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(f.locale, { maximumFractionDigits: 2 });
    numbers.set(key, fmt);
  }
  return fmt.format(n);
}
