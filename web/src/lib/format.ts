// How numbers read on screen. Display only: amounts are formatted from exact minor units
// by @kasi/domain; nothing here feeds back into a calculation.
import { formatMoney } from '@kasi/domain';
import type { Plan } from './api.ts';

const decimals = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

function scaled(value: number, units: readonly [number, string][], fallback: string): string {
  for (const [size, unit] of units) {
    if (value >= size) return `${decimals.format(value / size)} ${unit}`;
  }
  return `${decimals.format(value)} ${fallback}`;
}

const SPEED_UNITS: [number, string][] = [
  [1e9, 'Gbps'],
  [1e6, 'Mbps'],
  [1e3, 'kbps'],
];

export const formatSpeed = (bps: number) => scaled(bps, SPEED_UNITS, 'bps');

/** "10 Mbps ↓ / 2 Mbps ↑" — download first, as customers think of it. */
export const formatPlanSpeed = (p: Pick<Plan, 'downloadBps' | 'uploadBps'>) =>
  `${formatSpeed(p.downloadBps)} ↓ / ${formatSpeed(p.uploadBps)} ↑`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'No time limit';
  const parts: string[] = [];
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.round((seconds % 3_600) / 60);
  if (days) parts.push(plural(days, 'day'));
  if (hours) parts.push(plural(hours, 'hour'));
  if (minutes) parts.push(plural(minutes, 'minute'));
  return parts.length ? parts.join(' ') : plural(seconds, 'second');
}

// Binary, matching the plan form (#lib/plan-form.ts QUOTA_UNITS) and how MikroTik counts, so
// named as binary (IEC): "MB" for 1024² bytes misled operators comparing with SI figures.
const BYTE_UNITS: [number, string][] = [
  [1024 ** 4, 'TiB'],
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
];

export const formatBytes = (bytes: number) => scaled(bytes, BYTE_UNITS, 'bytes');

export const formatQuota = (bytes: bigint | null) =>
  bytes === null ? 'Unlimited data' : formatBytes(Number(bytes));

export const formatPrice = (p: Pick<Plan, 'priceMinor' | 'currency'>) =>
  formatMoney({ amountMinor: p.priceMinor, currency: p.currency });

export const formatUsers = (n: number) => plural(n, 'device');

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDateTime = (d: Date) => dateTime.format(d);
