// How the dashboard's figures read and where each one leads: labels, formatted amounts and
// the list behind every figure. Amounts stay exact bigints; a bar's width is the only number
// made from money, for drawing.
import { resolve } from '$app/paths';
import { formatMoney } from '@kasi/domain/money';
import type { api } from './api.ts';
import { m } from './i18n/locale.ts';
import { formatTime, tenantFormat } from './locale-format.ts';

export type DashboardSummary = Awaited<ReturnType<typeof api.dashboard.summary.query>>;
type Channel = DashboardSummary['revenue'][number]['channel'];

export const money = (amountMinor: bigint, currency: string) => formatMoney({ amountMinor, currency });

export interface Bar {
  label: string;
  /** What the bar says, exactly (a formatted amount or a count). */
  text: string;
  /** 0–100: the bar's length relative to the longest. */
  percent: number;
  href?: string;
}

/** Bars for exact amounts: lengths are ratios computed in integers, rounded to a percent. */
export function barsOf(items: { label: string; minor: bigint; text: string; href?: string }[]): Bar[] {
  const max = items.reduce((m, i) => (i.minor > m ? i.minor : m), 0n);
  return items.map(({ label, minor, text, href }) => ({
    label,
    text,
    percent: max > 0n && minor > 0n ? Number((minor * 100n + max - 1n) / max) : 0,
    ...(href ? { href } : {}),
  }));
}

const CHANNELS: Record<Channel, { label: () => string; href: string }> = {
  agent: { label: m.console_dashboard_channel_agent, href: resolve('/(app)/sales') },
  printed: { label: m.console_dashboard_channel_printed, href: resolve('/(app)/vouchers') },
  online: { label: m.console_dashboard_channel_online, href: resolve('/(app)/vouchers') },
  payments: {
    label: m.console_dashboard_channel_payments,
    href: `${resolve('/(app)/billing/invoices')}?status=paid`,
  },
};

export function channelRows(s: DashboardSummary) {
  return s.revenue.map((r) => ({
    label: CHANNELS[r.channel].label(),
    href: CHANNELS[r.channel].href,
    channel: r.channel,
    today: money(r.todayMinor, s.currency),
    todayCount: r.todayCount,
    month: money(r.monthMinor, s.currency),
    monthCount: r.monthCount,
    monthMinor: r.monthMinor,
  }));
}

export function revenueTotals(s: DashboardSummary) {
  const today = s.revenue.reduce((sum, r) => sum + r.todayMinor, 0n);
  const month = s.revenue.reduce((sum, r) => sum + r.monthMinor, 0n);
  return { today: money(today, s.currency), month: money(month, s.currency) };
}

export function agedBars(s: DashboardSummary): Bar[] {
  const a = s.billing.aged;
  const open = `${resolve('/(app)/billing/invoices')}?status=open`;
  return barsOf(
    (
      [
        [m.console_dashboard_aged_current(), a.current],
        [m.console_dashboard_aged_1_30(), a.days1to30],
        [m.console_dashboard_aged_31_60(), a.days31to60],
        [m.console_dashboard_aged_61_90(), a.days61to90],
        [m.console_dashboard_aged_90(), a.days90plus],
      ] as const
    ).map(([label, minor]) => ({ label, minor, text: money(minor, s.currency), href: open })),
  );
}

export function billingMonthBars(s: DashboardSummary): Bar[] {
  const b = s.billing;
  const invoices = resolve('/(app)/billing/invoices');
  return barsOf([
    {
      label: m.console_dashboard_billed(),
      minor: b.billedMinor,
      text: money(b.billedMinor, s.currency),
      href: invoices,
    },
    {
      label: m.console_dashboard_collected(),
      minor: b.collectedMinor,
      text: money(b.collectedMinor, s.currency),
      href: `${invoices}?status=paid`,
    },
    {
      label: m.console_dashboard_outstanding(),
      minor: b.outstandingMinor,
      text: money(b.outstandingMinor, s.currency),
      href: `${invoices}?status=open`,
    },
  ]);
}

/** "14:15" in the tenant's zone and locale, for the plot's table. */
export function clock(epochSeconds: number, timeZone: string): string {
  // Before the tenant's locale is known (never in the console), a 24-hour clock.
  return formatTime(new Date(epochSeconds * 1000), { locale: tenantFormat().locale ?? 'en-GB', timeZone });
}

/** One sentence for screen readers and for anyone the plot does not reach. */
export function onlineSummary(s: DashboardSummary): string {
  const points = s.online24h;
  if (points.length === 0) return m.console_dashboard_online_none();
  const peak = points.reduce(
    (best, p) => (p.users > best.users ? p : best),
    points[0] ?? { at: 0, users: 0 },
  );
  const low = Math.min(...points.map((p) => p.users));
  return m.console_dashboard_online_summary({
    peak: peak.users,
    time: clock(peak.at, s.timezone),
    low,
    now: s.onlineNow,
  });
}

/** Hourly rows (every fourth 15-minute bucket) keep the table short on a phone. */
export function onlineRows(s: DashboardSummary) {
  return s.online24h
    .filter((_, i) => i % 4 === 0)
    .map((p) => ({ time: clock(p.at, s.timezone), users: p.users }));
}
