// RouterOS's text forms for durations and dates. The date forms differ by release: 7.10
// switched from "jan/31/2025" to "2025-01-31", which broke scripts that parsed the old form.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** 0 → "0s", 93784 → "1d2h3m4s", 694861 → "1w1d1h1m1s" (the API's duration form). */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join('');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export interface DateStyle {
  iso: boolean;
  /** Legacy build-time capitalises the month ("Feb/24/2025"); the clock does not. */
  capitalMonth?: boolean;
}

export function formatDate(ms: number, style: DateStyle): string {
  const d = new Date(ms);
  if (style.iso) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const month = MONTHS[d.getUTCMonth()] ?? 'jan';
  const shown = style.capitalMonth ? month[0]?.toUpperCase() + month.slice(1) : month;
  return `${shown}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatDateTime(ms: number, style: DateStyle): string {
  return `${formatDate(ms, style)} ${formatTime(ms)}`;
}

/** "1w2d3h4m5s" → seconds; also accepts RouterOS's "00:01:05" form. Unknown text → 0. */
export function parseDuration(text: string): number {
  const clock = /^(\d+):(\d\d):(\d\d)$/.exec(text);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const sizes: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([wdhms])/g)) total += Number(n) * (sizes[unit ?? 's'] ?? 0);
  return total;
}
