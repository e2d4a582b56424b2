// Words and figures for the subscriber screens: status badges, usage per day, audit actions,
// Disconnect outcomes. Text always says the state; colour only repeats it.
import { formatBytes } from './format.ts';
import { formatDay } from './locale-format.ts';
import type { UsageDay } from './subscriber-types.ts';
import { m } from './i18n/locale.ts';

export function statusBadge(status: string): { label: string; tone: 'ok' | 'warn' | 'danger' } {
  if (status === 'active') return { label: m.console_subscribers_active(), tone: 'ok' };
  if (status === 'suspended') return { label: m.console_subscribers_suspended(), tone: 'warn' };
  return { label: m.console_subscribers_terminated(), tone: 'danger' };
}

const ACTIONS: Record<string, () => string> = {
  'subscriber.create': m.console_subscribers_act_create,
  'subscriber.update': m.console_subscribers_act_update,
  'subscriber.password_reset': m.console_subscribers_act_password_reset,
  'subscriber.suspended': m.console_subscribers_act_suspended,
  'subscriber.active': m.console_subscribers_act_active,
  'subscriber.terminated': m.console_subscribers_act_terminated,
  'subscriber.export': m.console_subscribers_act_export,
};
export const describeAction = (action: string) => ACTIONS[action]?.() ?? action;

/** What one audit row says beyond its action: the reason, or which fields changed. */
export function auditDetail(after: unknown): string {
  if (typeof after !== 'object' || after === null) return '';
  const a = after as { statusReason?: unknown; changed?: unknown; via?: unknown };
  if (Array.isArray(a.changed)) return m.console_subscribers_changed_fields({ fields: a.changed.join(', ') });
  if (a.via === 'import') return m.console_subscribers_from_import();
  return typeof a.statusReason === 'string' ? a.statusReason : '';
}

export function describeDisconnects(results: { result: { status: string } }[]): string {
  if (results.length === 0) return m.console_subscribers_disconnects_none();
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.result.status, (counts.get(r.result.status) ?? 0) + 1);
  const words: Record<string, (i: { count: number }) => string> = {
    ack: m.console_subscribers_disc_ack,
    nak: m.console_subscribers_disc_nak,
    timeout: m.console_subscribers_disc_timeout,
    error: m.console_subscribers_disc_error,
  };
  const list = [...counts].map(([s, count]) => words[s]?.({ count }) ?? `${count} ${s}`).join(', ');
  return m.console_subscribers_disconnects({ list });
}

export interface UsageRow {
  day: string;
  download: string;
  upload: string;
}

export const usageRows = (days: UsageDay[]): UsageRow[] =>
  days.map((d) => ({
    day: formatDay(d.day),
    download: formatBytes(Number(d.downloadOctets)),
    upload: formatBytes(Number(d.uploadOctets)),
  }));

export function usageTotal(days: UsageDay[]): { download: string; upload: string } {
  const sum = (pick: (d: UsageDay) => bigint) => days.reduce((n, d) => n + pick(d), 0n);
  return {
    download: formatBytes(Number(sum((d) => d.downloadOctets))),
    upload: formatBytes(Number(sum((d) => d.uploadOctets))),
  };
}
