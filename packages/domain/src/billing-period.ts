// Billing periods: a plan bills every N months, weeks or days, counted on the tenant's
// calendar (a month from 31 Jan is 28/29 Feb; a day is a local day across a DST change).
import { invalid } from './errors.ts';

export const PERIOD_UNITS = ['month', 'week', 'day'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface BillingPeriodTerms {
  unit: PeriodUnit;
  count: number;
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

// Making a formatter costs far more than using one; the billing run asks for thousands.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallTime(at: Date, timeZone: string): Wall {
  const parts = formatter(timeZone).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: n('year'), mo: n('month'), d: n('day'), h: n('hour'), mi: n('minute'), s: n('second') };
}

/** The instant at which the zone's wall clock shows `w` (the earlier one in a DST overlap). */
function fromWall(w: Wall, timeZone: string): Date {
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const seen = wallTime(new Date(guess), timeZone);
    const diff = asUtc - Date.UTC(seen.y, seen.mo - 1, seen.d, seen.h, seen.mi, seen.s);
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

export function assertTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    throw invalid('BILLING.BAD_TIMEZONE', `"${timeZone}" is not an IANA time zone`, { field: 'timezone' });
  }
}

/** `start` plus N periods on the zone's calendar, keeping the local time of day. */
export function addPeriods(start: Date, terms: BillingPeriodTerms, timeZone: string, n = 1): Date {
  const w = wallTime(start, timeZone);
  const steps = terms.count * n;
  if (terms.unit === 'month') {
    const months = w.mo - 1 + steps;
    const y = w.y + Math.floor(months / 12);
    const mo = (months % 12) + 1;
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return fromWall({ ...w, y, mo, d: Math.min(w.d, last) }, timeZone);
  }
  const days = terms.unit === 'week' ? steps * 7 : steps;
  const shifted = new Date(Date.UTC(w.y, w.mo - 1, w.d + days));
  return fromWall(
    { ...w, y: shifted.getUTCFullYear(), mo: shifted.getUTCMonth() + 1, d: shifted.getUTCDate() },
    timeZone,
  );
}
