// The sales report's rows (one per day, channel, plan, agent and currency, from report.sales)
// totalled by the one dimension the operator picks. Money stays in exact minor units per
// currency; @kasi/domain formats it.
import { formatMoney } from '@kasi/domain';
import type { api } from './api.ts';
import { m } from './i18n/locale.ts';

export type SalesReport = Awaited<ReturnType<typeof api.report.sales.query>>;
export type SalesRow = SalesReport['rows'][number];
export type SalesBy = 'channel' | 'plan' | 'agent' | 'day';
export const SALES_BY: SalesBy[] = ['channel', 'plan', 'agent', 'day'];

const CHANNEL_WORDS: Record<SalesRow['channel'], () => string> = {
  agent: m.console_reports_ch_agent,
  printed: m.console_reports_ch_printed,
  online: m.console_reports_ch_online,
  payments: m.console_reports_ch_payments,
};

/** A sales channel in the person's language. */
export const channelLabel = (channel: SalesRow['channel']) => CHANNEL_WORDS[channel]();
export const SALES_CHANNELS = Object.keys(CHANNEL_WORDS) as SalesRow['channel'][];

export interface SalesLine {
  key: string;
  label: string;
  count: number;
  /** Formatted totals, one per currency, in currency order. */
  amounts: string[];
}

function keyOf(r: SalesRow, by: SalesBy): [string, string] {
  switch (by) {
    case 'channel':
      return [r.channel, channelLabel(r.channel)];
    case 'plan':
      return [r.planName ?? '', r.planName ?? m.console_reports_no_plan()];
    case 'agent':
      return [r.agentName ?? '', r.agentName ?? m.console_reports_no_agent()];
    case 'day':
      return [r.day, r.day];
  }
}

export function totalSales(rows: SalesRow[], by: SalesBy): SalesLine[] {
  const lines = new Map<string, { label: string; count: number; minor: Map<string, bigint> }>();
  for (const r of rows) {
    const [key, label] = keyOf(r, by);
    const line = lines.get(key) ?? { label, count: 0, minor: new Map<string, bigint>() };
    line.count += r.count;
    line.minor.set(r.currency, (line.minor.get(r.currency) ?? 0n) + r.amountMinor);
    lines.set(key, line);
  }
  return [...lines.entries()]
    .map(([key, l]) => ({
      key,
      label: l.label,
      count: l.count,
      amounts: [...l.minor.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, amountMinor]) => formatMoney({ amountMinor, currency })),
    }))
    .sort((a, b) => (by === 'day' ? a.key.localeCompare(b.key) : a.label.localeCompare(b.label)));
}
