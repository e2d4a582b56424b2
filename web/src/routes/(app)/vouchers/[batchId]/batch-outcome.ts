// What a batch-wide change did, in words an operator reads once and acts on.
import type { api } from '#lib/api.ts';
import { m } from '#lib/i18n/locale.ts';

export type ExtendOutcome = Awaited<ReturnType<typeof api.voucher.extendBatch.mutate>>;
export type ReplanOutcome = Awaited<ReturnType<typeof api.voucher.replanBatch.mutate>>;

const SKIP_WORDS: Record<string, (p: { count: number }) => string> = {
  void: m.console_vouchers_skip_void,
  locked: m.console_vouchers_skip_locked,
  expired: m.console_vouchers_skip_expired,
  exhausted: m.console_vouchers_skip_exhausted,
  leased: m.console_vouchers_skip_leased,
  sold: m.console_vouchers_skip_sold,
  used: m.console_vouchers_skip_used,
};

/** "Left alone: 2 void, 1 already expired." or '' when nothing was left alone. */
function leftAlone(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => SKIP_WORDS[why]?.({ count: n }) ?? `${n} ${why}`);
  return parts.length ? ' ' + m.console_vouchers_left_alone({ list: parts.join(', ') }) : '';
}

export function describeExtension(r: ExtendOutcome, days: number): string {
  const sentences = [
    m.console_vouchers_extended_by_days({
      codes: m.console_vouchers_codes({ count: r.extended }),
      count: days,
    }),
  ];
  if (r.notStarted) sentences.push(m.console_vouchers_extend_not_started({ count: r.notStarted }));
  if (r.unlimited) sentences.push(m.console_vouchers_extend_unlimited({ count: r.unlimited }));
  return sentences.join(' ') + leftAlone(r.skipped);
}

export function describeReplan(r: ReplanOutcome, planName: string): string {
  const already = r.alreadyOnPlan ? ' ' + m.console_vouchers_replan_already({ count: r.alreadyOnPlan }) : '';
  return m.console_vouchers_replan_moved({ count: r.moved, plan: planName }) + already + leftAlone(r.skipped);
}
