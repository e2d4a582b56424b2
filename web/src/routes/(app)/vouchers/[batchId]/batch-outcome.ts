// What a batch-wide change did, in words an operator reads once and acts on.
import type { api } from '#lib/api.ts';

export type ExtendOutcome = Awaited<ReturnType<typeof api.voucher.extendBatch.mutate>>;
export type ReplanOutcome = Awaited<ReturnType<typeof api.voucher.replanBatch.mutate>>;

const codes = (n: number) => `${n} code${n === 1 ? '' : 's'}`;

const SKIP_WORDS: Record<string, string> = {
  void: 'void',
  locked: 'locked',
  expired: 'already expired',
  exhausted: 'used up',
  leased: 'on an agent’s phone',
  sold: 'sold, not used yet',
  used: 'in use',
};

/** "Left alone: 2 void, 1 already expired." or '' when nothing was left alone. */
function leftAlone(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${n} ${SKIP_WORDS[why] ?? why}`);
  return parts.length ? ` Left alone: ${parts.join(', ')}.` : '';
}

export function describeExtension(r: ExtendOutcome, days: number): string {
  const sentences = [`${codes(r.extended)} now run ${days} day${days === 1 ? '' : 's'} longer.`];
  if (r.notStarted)
    sentences.push(`${codes(r.notStarted)} not used yet start their validity at first login.`);
  if (r.unlimited) sentences.push(`${codes(r.unlimited)} have no expiry to extend.`);
  return sentences.join(' ') + leftAlone(r.skipped);
}

export function describeReplan(r: ReplanOutcome, planName: string): string {
  const already = r.alreadyOnPlan ? ` ${codes(r.alreadyOnPlan)} were on it already.` : '';
  return `${codes(r.moved)} moved to ${planName}.${already}${leftAlone(r.skipped)}`;
}
