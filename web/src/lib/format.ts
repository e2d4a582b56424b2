// How numbers read on screen. Display only: amounts are formatted from exact minor units
// by @kasi/domain; nothing here feeds back into a calculation. Numbers and dates follow the
// tenant's locale and time zone (#lib/locale-format.ts, set by the console layout); words
// follow the person's language (ADR 0030).
import { formatMoney } from '@kasi/domain';
import type { Plan } from './api.ts';
import { m } from './i18n/locale.ts';
import { formatDateTime as formatTenantDateTime, formatNumber } from './locale-format.ts';

function scaled(value: number, units: readonly [number, string][], fallback: (n: string) => string): string {
  for (const [size, unit] of units) {
    if (value >= size) return `${formatNumber(value / size)} ${unit}`;
  }
  return fallback(formatNumber(value));
}

const SPEED_UNITS: [number, string][] = [
  [1e9, 'Gbps'],
  [1e6, 'Mbps'],
  [1e3, 'kbps'],
];

export const formatSpeed = (bps: number) => scaled(bps, SPEED_UNITS, (n) => `${n} bps`);

/** "10 Mbps ↓ / 2 Mbps ↑" — download first, as customers think of it. */
export const formatPlanSpeed = (p: Pick<Plan, 'downloadBps' | 'uploadBps'>) =>
  `${formatSpeed(p.downloadBps)} ↓ / ${formatSpeed(p.uploadBps)} ↑`;

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return m.console_shell_no_time_limit();
  const parts: string[] = [];
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.round((seconds % 3_600) / 60);
  if (days) parts.push(m.console_shell_days({ n: days }));
  if (hours) parts.push(m.console_shell_hours({ n: hours }));
  if (minutes) parts.push(m.console_shell_minutes({ n: minutes }));
  return parts.length ? parts.join(' ') : m.console_shell_seconds({ n: seconds });
}

// Binary, matching the plan form (#lib/plan-form.ts QUOTA_UNITS) and how MikroTik counts, so
// named as binary (IEC): "MB" for 1024² bytes misled operators comparing with SI figures.
const BYTE_UNITS: [number, string][] = [
  [1024 ** 4, 'TiB'],
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
];

export const formatBytes = (bytes: number) => scaled(bytes, BYTE_UNITS, (n) => m.console_shell_bytes({ n }));

export const formatQuota = (bytes: bigint | null) =>
  bytes === null ? m.console_shell_unlimited_data() : formatBytes(Number(bytes));

export const formatPrice = (p: Pick<Plan, 'priceMinor' | 'currency'>) =>
  formatMoney({ amountMinor: p.priceMinor, currency: p.currency });

export const formatUsers = (n: number) => m.console_shell_devices({ n });

/** 07/12/2026, 14:05 for an en-KE tenant in Nairobi, whatever the browser is set to. */
export const formatDateTime = (d: Date) => formatTenantDateTime(d);
