// The sales report's rows (one per local day × agent × plan, from cash.salesByDays) folded
// into the three views operators ask for: by agent, by day and by plan, each with totals.
// Amounts stay bigint minor units per currency; nothing here rounds or converts.
import { formatMoney } from '@kasi/domain';

export interface SaleLine {
  day: string;
  agentId: string;
  agentName: string;
  planId: string;
  planName: string;
  currency: string;
  count: number;
  /** At lease price: what the agents owe for these sales. */
  faceMinor: bigint;
  /** What the devices reported taking from buyers. */
  reportedMinor: bigint;
}

export type GroupBy = 'agent' | 'day' | 'plan';

export const GROUP_LABELS: Record<GroupBy, string> = { agent: 'Agent', day: 'Day', plan: 'Plan' };

/** One currency's sums; a tenant normally has one currency, but nothing here assumes it. */
export interface CurrencySums {
  currency: string;
  faceMinor: bigint;
  reportedMinor: bigint;
}

export interface SalesGroup {
  key: string;
  label: string;
  count: number;
  sums: CurrencySums[];
}

export interface SalesSummary {
  groups: SalesGroup[];
  total: Omit<SalesGroup, 'key' | 'label'>;
}

const KEYS: Record<GroupBy, (l: SaleLine) => [key: string, label: string]> = {
  agent: (l) => [l.agentId, l.agentName],
  day: (l) => [l.day, l.day],
  plan: (l) => [l.planId, l.planName],
};

function addTo(sums: CurrencySums[], line: SaleLine): void {
  let s = sums.find((x) => x.currency === line.currency);
  if (!s) {
    s = { currency: line.currency, faceMinor: 0n, reportedMinor: 0n };
    sums.push(s);
    sums.sort((a, b) => a.currency.localeCompare(b.currency));
  }
  s.faceMinor += line.faceMinor;
  s.reportedMinor += line.reportedMinor;
}

/** Groups lines by agent, day or plan: days in calendar order, names alphabetically. */
export function summariseSales(lines: readonly SaleLine[], by: GroupBy): SalesSummary {
  const groups = new Map<string, SalesGroup>();
  const total = { count: 0, sums: [] as CurrencySums[] };
  for (const line of lines) {
    const [key, label] = KEYS[by](line);
    let g = groups.get(key);
    if (!g) {
      g = { key, label, count: 0, sums: [] };
      groups.set(key, g);
    }
    g.count += line.count;
    addTo(g.sums, line);
    total.count += line.count;
    addTo(total.sums, line);
  }
  const sorted = [...groups.values()].sort((a, b) =>
    by === 'day' ? a.key.localeCompare(b.key) : a.label.localeCompare(b.label) || a.key.localeCompare(b.key),
  );
  return { groups: sorted, total };
}

/** "60.00 KES", or "60.00 KES + 5.00 USD"; a dash when there is nothing. */
export function formatSums(sums: readonly CurrencySums[], pick: 'faceMinor' | 'reportedMinor'): string {
  if (sums.length === 0) return '—';
  return sums.map((s) => formatMoney({ amountMinor: s[pick], currency: s.currency })).join(' + ');
}

/** True when buyers paid something other than the lease price somewhere in the group. */
export const reportedDiffers = (sums: readonly CurrencySums[]) =>
  sums.some((s) => s.faceMinor !== s.reportedMinor);

/** Totals of a per-agent money column, per currency (e.g. what all agents owe together). */
export function totalByCurrency<T extends { currency: string }>(
  rows: readonly T[],
  pick: (row: T) => bigint,
): { currency: string; amountMinor: bigint }[] {
  const totals = new Map<string, bigint>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0n) + pick(r));
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amountMinor]) => ({ currency, amountMinor }));
}
