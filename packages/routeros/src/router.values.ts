// Parsers for the text forms RouterOS uses in API replies. RouterOS 7.10 changed how dates are
// written ("nov/22/2026" became "2026-11-22"), which broke scripts that parsed only one form;
// both are accepted here. Every parser returns undefined for text it does not recognise.

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  w: 604800,
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};
const DURATION = /^((?:\d+(?:ms|w|d|h|m|s))*)(?:(\d+):([0-5]\d):([0-5]\d))?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const LEGACY_DATE = /^([a-z]{3})\/(\d{2})\/(\d{4})$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})$/;

/**
 * Seconds in a RouterOS duration: "1w2d3h4m5s" → 788645, "0s" → 0, "300ms" → 0.3. The clock
 * forms "00:01:05" and "1d00:01:05" (older releases, some menus) are accepted too.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const match = DURATION.exec(trimmed);
  if (!match || trimmed === '') return undefined;
  let seconds = 0;
  for (const [, count, unit] of (match[1] ?? '').matchAll(/(\d+)(ms|w|d|h|m|s)/g)) {
    seconds += Number(count) * (UNIT_SECONDS[unit ?? ''] ?? 0);
  }
  const [, , hours, minutes, secs] = match;
  if (hours !== undefined) seconds += Number(hours) * 3600 + Number(minutes) * 60 + Number(secs);
  return seconds;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function parseDatePart(text: string): CalendarDate | undefined {
  const iso = ISO_DATE.exec(text);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  const legacy = LEGACY_DATE.exec(text);
  if (!legacy) return undefined;
  const month = MONTHS.indexOf((legacy[1] ?? '').toLowerCase()) + 1;
  return month === 0 ? undefined : { year: Number(legacy[3]), month, day: Number(legacy[2]) };
}

/**
 * A RouterOS date or date-time as an instant: "nov/22/2026 10:00:00" (before 7.10, month
 * sometimes capitalised), "2026-11-22 10:00:00" (7.10+), or either date alone (midnight).
 * RouterOS writes the router's wall-clock time without a zone, so pass the router's offset
 * from UTC in minutes (see parseGmtOffset) to get the right instant; the default is UTC.
 */
export function parseRouterDate(text: string, utcOffsetMinutes = 0): Date | undefined {
  const [datePart = '', timePart, ...rest] = text.trim().split(/\s+/);
  if (rest.length > 0) return undefined;
  const date = parseDatePart(datePart);
  const time = timePart === undefined ? ['', '0', '0', '0'] : TIME.exec(timePart);
  if (!date || !time) return undefined;
  const [hour, minute, second] = [Number(time[1]), Number(time[2]), Number(time[3])];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const wallClock = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second);
  const check = new Date(wallClock);
  // Date.UTC rolls 31 February over into March; a real RouterOS date never does.
  if (check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) return undefined;
  return new Date(wallClock - utcOffsetMinutes * 60_000);
}

/** "+03:00" / "-05:30" (/system/clock gmt-offset) → minutes east of UTC. */
export function parseGmtOffset(text: string): number | undefined {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The API prints flags as true/false; older menus and user input use yes/no. */
export function parseFlag(text: string | undefined): boolean | undefined {
  if (text === 'true' || text === 'yes') return true;
  if (text === 'false' || text === 'no') return false;
  return undefined;
}

/** Decimal integers only ("1500"); "1.5", "10M" and "" are not integers. */
export function parseInteger(text: string | undefined): number | undefined {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}
