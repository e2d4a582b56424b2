// Days on the tenant's calendar: the billing run, due dates and dunning all count in local
// dates (YYYY-MM-DD) of the tenant's zone, and periods start at local midnight.
import { sql, type SQL } from 'drizzle-orm';
import { addPeriods, invalid } from '@kasi/domain';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The local date (YYYY-MM-DD) the zone's calendar shows at `at`. */
export function localDay(at: Date, timeZone: string): string {
  return cached(dayFormats, timeZone, () => ({
    // en-CA formats as YYYY-MM-DD.
    locale: 'en-CA',
    options: { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' },
  })).format(at);
}

// Making a formatter costs far more than using one; the billing run asks for thousands.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();
function cached(
  m: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => { locale: string; options: Intl.DateTimeFormatOptions },
): Intl.DateTimeFormat {
  let f = m.get(timeZone);
  if (!f) {
    const { locale, options } = make();
    f = new Intl.DateTimeFormat(locale, options);
    m.set(timeZone, f);
  }
  return f;
}

/** Local midnight starting `day` in the zone. */
export function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // Start from UTC midnight and move by the zone's offset there; one correction covers DST.
  let guess = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 3; i++) {
    const seen = localParts(new Date(guess), timeZone);
    const diff = Date.UTC(y, m - 1, d) - Date.UTC(seen.y, seen.mo - 1, seen.d, seen.h, seen.mi);
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

function localParts(at: Date, timeZone: string) {
  const parts = cached(partFormats, timeZone, () => ({
    locale: 'en-GB',
    options: {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    },
  })).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: n('year'), mo: n('month'), d: n('day'), h: n('hour'), mi: n('minute') };
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday. */
export const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** A calendar date from input, or a typed error naming the field. */
export function parseDay(v: string, field = 'date'): string {
  if (!ISO_DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || addDays(v, 0) !== v) {
    throw invalid('BILLING.BAD_DATE', `"${v}" is not a date (YYYY-MM-DD)`, { field });
  }
  return v;
}

/** Local midnight `n` days after the local day of `at` (due dates are whole days). */
export function plusDays(at: Date, n: number, timeZone: string): Date {
  return addPeriods(dayStart(localDay(at, timeZone), timeZone), { unit: 'day', count: 1 }, timeZone, n);
}

/** An instant as a raw-SQL parameter (the driver takes no Date in `sql` templates). */
export const ts = (at: Date): SQL => sql`${at.toISOString()}::timestamptz`;
