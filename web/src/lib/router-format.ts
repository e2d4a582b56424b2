// How router facts read on screen: uptime, memory, plan statuses and kick outcomes.
// Display only; the server decides what happened, this only puts it into words.
import type { ChangePlanStatus, KickOutcome, RouterHealth } from './api.ts';
import { formatBytes } from './format.ts';
import { m } from './i18n/locale.ts';

/** Compact, as RouterOS shows it: "3d 4h", "4h 12m", "12m", "45s". */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const min = Math.floor((seconds % 3_600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${min}m`;
  if (min) return `${min}m`;
  return `${Math.floor(seconds)}s`;
}

/** "112 MiB of 256 MiB" used. */
export function formatMemory(h: Pick<RouterHealth, 'freeMemory' | 'totalMemory'>): string | null {
  if (h.totalMemory === undefined || h.freeMemory === undefined) return null;
  return m.console_routers_memory_of({
    used: formatBytes(h.totalMemory - h.freeMemory),
    total: formatBytes(h.totalMemory),
  });
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
    h.boardName ? { label: m.console_routers_fact_board(), value: h.boardName } : null,
    h.uptimeSeconds !== undefined
      ? { label: m.console_routers_fact_uptime(), value: formatUptime(h.uptimeSeconds) }
      : null,
    h.cpuLoad !== undefined ? { label: m.console_routers_fact_cpu(), value: `${h.cpuLoad}%` } : null,
    memory ? { label: m.console_routers_fact_memory(), value: memory } : null,
  ];
  return facts.filter((f) => f !== null);
}

// Message functions, not strings: read when shown, so a change of language shows at once.
const PLAN_STATUS: Record<ChangePlanStatus, () => string> = {
  pending: m.console_routers_status_pending,
  approved: m.console_routers_status_approved,
  rejected: m.console_routers_status_rejected,
  applying: m.console_routers_status_applying,
  applied: m.console_routers_status_applied,
  failed: m.console_routers_status_failed,
  rolled_back: m.console_routers_status_rolled_back,
  aborted: m.console_routers_status_aborted,
};

export const formatPlanStatus = (s: ChangePlanStatus) => PLAN_STATUS[s]();

/** What a status means for the router, shown under the badge after an action. */
const PLAN_OUTCOME: Partial<Record<ChangePlanStatus, () => string>> = {
  approved: m.console_routers_outcome_approved,
  rejected: m.console_routers_outcome_rejected,
  applied: m.console_routers_outcome_applied,
  rolled_back: m.console_routers_outcome_rolled_back,
  aborted: m.console_routers_outcome_aborted,
  failed: m.console_routers_outcome_failed,
};

export const describePlanOutcome = (s: ChangePlanStatus) => PLAN_OUTCOME[s]?.() ?? '';

/** "You" for the person looking, otherwise a neutral word: the API gives only user ids. */
export function formatPerson(userId: string | null, meId: string): string {
  if (userId === null) return '—';
  return userId === meId ? m.console_routers_person_you() : m.console_routers_person_other();
}

export function describeKick(user: string, outcome: KickOutcome): { ok: boolean; message: string } {
  if (outcome.via === 'api') return { ok: true, message: m.console_routers_kick_api({ user }) };
  const r = outcome.result;
  if (r.status === 'ack') return { ok: true, message: m.console_routers_kick_ack({ user }) };
  if (r.status === 'nak') {
    const cause = 'errorCauseName' in r && r.errorCauseName ? `: ${r.errorCauseName}` : '';
    return { ok: false, message: m.console_routers_kick_nak({ user, cause }) };
  }
  return { ok: false, message: m.console_routers_kick_timeout({ user }) };
}
