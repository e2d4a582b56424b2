// How a code's channel, live state and usage read in the batch list, the batch's figures, and
// the sentence after a lock, unlock or void. Display only: the server computes all of it.
import type { VoucherFigures, VoucherRow } from './api.ts';
import { formatBytes } from './format.ts';
import { m } from './i18n/locale.ts';

export type VoucherState = VoucherRow['state'];

// Functions, not strings: read when shown, so a change of language shows at once.
const STATE_LABELS: Record<VoucherState, () => string> = {
  unused: m.console_vouchers_state_unused,
  active: m.console_vouchers_state_active,
  exhausted: m.console_vouchers_state_exhausted,
  expired: m.console_vouchers_state_expired,
  void: m.console_vouchers_state_void,
  locked: m.console_vouchers_state_locked,
};

export const formatVoucherState = (s: VoucherState) => STATE_LABELS[s]();

/** Who has the code: "In stock", "Printed · run 2", "With agent", "Sold by agent"… */
export function formatChannel(v: Pick<VoucherRow, 'channel' | 'printRun' | 'soldAt'>): string {
  switch (v.channel) {
    case 'stock':
      return m.console_vouchers_channel_stock();
    case 'printed':
      return v.printRun === null
        ? m.console_vouchers_channel_printed_old()
        : m.console_vouchers_channel_printed({ run: v.printRun });
    case 'leased':
      return v.soldAt ? m.console_vouchers_channel_sold_agent() : m.console_vouchers_channel_with_agent();
    case 'online':
      return v.soldAt ? m.console_vouchers_channel_sold_online() : m.console_vouchers_channel_online();
    case 'held':
      return m.console_vouchers_channel_held();
  }
}

/** The batch, plan or tenant figures in the order an operator reads them, zeros left out after the first six. */
export function figureList(f: VoucherFigures): { label: string; value: number }[] {
  const always = [
    { label: m.console_vouchers_fig_in_stock(), value: f.inStock },
    { label: m.console_vouchers_fig_printed(), value: f.printed },
    { label: m.console_vouchers_fig_with_agents(), value: f.withAgents },
    { label: m.console_vouchers_fig_sold(), value: f.sold },
    { label: m.console_vouchers_fig_in_use(), value: f.inUse },
    { label: m.console_vouchers_fig_used_up(), value: f.usedUp },
  ];
  const rest = [
    { label: m.console_vouchers_fig_expired(), value: f.expired },
    { label: m.console_vouchers_fig_held(), value: f.heldForTests },
    { label: m.console_vouchers_fig_test_logins(), value: f.testLogins },
    { label: m.console_vouchers_fig_void(), value: f.void },
    { label: m.console_vouchers_fig_locked(), value: f.locked },
  ].filter((x) => x.value > 0);
  return [...always, ...rest];
}

/** "42 min", "1 h", "1 h 5 min", "2 d 3 h": short enough to sit beside a code. */
export function formatShortDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

type Usage = Pick<VoucherRow, 'usedSeconds' | 'usedOctets' | 'timeQuotaSeconds' | 'dataQuotaBytes'>;

/** "42 min of 1 h · 120 MiB of 1 GiB"; null for a code nobody has used. */
export function formatUsage(u: Usage): string | null {
  if (u.usedSeconds === 0 && u.usedOctets === 0n) return null;
  const time = formatShortDuration(u.usedSeconds);
  const data = formatBytes(Number(u.usedOctets));
  return [
    u.timeQuotaSeconds === null
      ? time
      : m.console_vouchers_usage_of({ used: time, quota: formatShortDuration(u.timeQuotaSeconds) }),
    u.dataQuotaBytes === null
      ? data
      : m.console_vouchers_usage_of({ used: data, quota: formatBytes(Number(u.dataQuotaBytes)) }),
  ].join(' · ');
}

/** What happened after Lock, Unlock or Void, including codes the server left as they were. */
export function describeCodeAction(
  kind: 'lock' | 'unlock' | 'void',
  asked: number,
  result: { changed: number; keptLocked?: number },
): string {
  const did = {
    lock: m.console_vouchers_did_lock,
    unlock: m.console_vouchers_did_unlock,
    void: m.console_vouchers_did_void,
  }[kind];
  const already = {
    lock: m.console_vouchers_already_lock,
    unlock: m.console_vouchers_already_unlock,
    void: m.console_vouchers_already_void,
  }[kind];
  const parts = [did({ count: result.changed })];
  const kept = result.keptLocked ?? 0;
  if (kept) parts.push(m.console_vouchers_kept_locked({ count: kept }));
  const unchanged = asked - result.changed - kept;
  if (unchanged > 0) parts.push(already({ count: unchanged }));
  return parts.join(' ');
}
