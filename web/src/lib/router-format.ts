// How router facts read on screen: uptime, memory, plan statuses and kick outcomes.
// Display only; the server decides what happened, this only puts it into words.
import type { ChangePlanStatus, KickOutcome, RouterHealth } from './api.ts';
import { formatBytes } from './format.ts';

/** Compact, as RouterOS shows it: "3d 4h", "4h 12m", "12m", "45s". */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m`;
  return `${Math.floor(seconds)}s`;
}

/** "112 MiB of 256 MiB" used. */
export function formatMemory(h: Pick<RouterHealth, 'freeMemory' | 'totalMemory'>): string | null {
  if (h.totalMemory === undefined || h.freeMemory === undefined) return null;
  return `${formatBytes(h.totalMemory - h.freeMemory)} of ${formatBytes(h.totalMemory)}`;
}

export interface HealthFact {
  label: string;
  value: string;
}

/** The facts an operator scans for, in a fixed order; missing ones are left out. */
export function healthFacts(h: RouterHealth): HealthFact[] {
  const memory = formatMemory(h);
  const facts: (HealthFact | null)[] = [
    h.version ? { label: 'RouterOS', value: h.version } : null,
    h.boardName ? { label: 'Board', value: h.boardName } : null,
    h.uptimeSeconds !== undefined ? { label: 'Uptime', value: formatUptime(h.uptimeSeconds) } : null,
    h.cpuLoad !== undefined ? { label: 'CPU', value: `${h.cpuLoad}%` } : null,
    memory ? { label: 'Memory used', value: memory } : null,
  ];
  return facts.filter((f) => f !== null);
}

const PLAN_STATUS: Record<ChangePlanStatus, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  applying: 'Applying…',
  applied: 'Applied',
  failed: 'Failed',
  rolled_back: 'Rolled back',
  aborted: 'Aborted',
};

export const formatPlanStatus = (s: ChangePlanStatus) => PLAN_STATUS[s];

/** What a status means for the router, shown under the badge after an action. */
const PLAN_OUTCOME: Partial<Record<ChangePlanStatus, string>> = {
  approved: 'Approved. The router is unchanged until someone applies the plan.',
  rejected: 'Rejected. Nothing was changed on the router.',
  applied: 'Applied and verified on the router.',
  rolled_back: 'The router is back to how it was before this plan.',
  aborted: 'Nothing was changed on the router.',
  failed: 'The router may be partly changed. Check it before trying again.',
};

export const describePlanOutcome = (s: ChangePlanStatus) => PLAN_OUTCOME[s] ?? '';

/** "You" for the person looking, otherwise a neutral word: the API gives only user ids. */
export function formatPerson(userId: string | null, meId: string): string {
  if (userId === null) return '—';
  return userId === meId ? 'You' : 'Another operator';
}

export function describeKick(user: string, outcome: KickOutcome): { ok: boolean; message: string } {
  if (outcome.via === 'api') return { ok: true, message: `${user} was disconnected over the RouterOS API.` };
  const r = outcome.result;
  if (r.status === 'ack') return { ok: true, message: `${user} was disconnected through RADIUS (ack).` };
  if (r.status === 'nak') {
    const cause = 'errorCauseName' in r && r.errorCauseName ? `: ${r.errorCauseName}` : '';
    return { ok: false, message: `The router refused to disconnect ${user} (nak${cause}).` };
  }
  return { ok: false, message: `The router did not answer the RADIUS disconnect for ${user} (timeout).` };
}
