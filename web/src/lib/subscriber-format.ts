// Words and figures for the subscriber screens: status badges, usage per day, audit actions,
// Disconnect outcomes. Text always says the state; colour only repeats it.
import { formatBytes } from './format.ts';
import type { UsageDay } from './subscriber-types.ts';

export function statusBadge(status: string): { label: string; tone: 'ok' | 'warn' | 'danger' } {
  if (status === 'active') return { label: 'Active', tone: 'ok' };
  if (status === 'suspended') return { label: 'Suspended', tone: 'warn' };
  return { label: 'Terminated', tone: 'danger' };
}

const ACTIONS: Record<string, string> = {
  'subscriber.create': 'Created',
  'subscriber.update': 'Edited',
  'subscriber.password_reset': 'Password reset',
  'subscriber.suspended': 'Suspended',
  'subscriber.active': 'Resumed',
  'subscriber.terminated': 'Terminated',
  'subscriber.export': 'Personal data exported',
};
export const describeAction = (action: string) => ACTIONS[action] ?? action;

/** What one audit row says beyond its action: the reason, or which fields changed. */
export function auditDetail(after: unknown): string {
  if (typeof after !== 'object' || after === null) return '';
  const a = after as { statusReason?: unknown; changed?: unknown; via?: unknown };
  if (Array.isArray(a.changed)) return `Changed: ${a.changed.join(', ')}`;
  if (a.via === 'import') return 'From a CSV import';
  return typeof a.statusReason === 'string' ? a.statusReason : '';
}

export function describeDisconnects(results: { result: { status: string } }[]): string {
  if (results.length === 0) return 'No live sessions to disconnect.';
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.result.status, (counts.get(r.result.status) ?? 0) + 1);
  const words: Record<string, string> = {
    ack: 'disconnected (router acknowledged)',
    nak: 'refused by the router',
    timeout: 'router did not answer',
    error: 'could not be reached',
  };
  return `Live sessions: ${[...counts].map(([s, n]) => `${n} ${words[s] ?? s}`).join(', ')}.`;
}

export interface UsageRow {
  day: string;
  download: string;
  upload: string;
}

export const usageRows = (days: UsageDay[]): UsageRow[] =>
  days.map((d) => ({
    day: d.day,
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
