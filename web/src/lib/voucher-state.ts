// How a code's channel, live state and usage read in the batch list, the batch's figures, and
// the sentence after a lock, unlock or void. Display only: the server computes all of it.
import type { VoucherFigures, VoucherRow } from './api.ts';
import { formatBytes } from './format.ts';

export type VoucherState = VoucherRow['state'];

const STATE_LABELS: Record<VoucherState, string> = {
  unused: 'Unused',
  active: 'In use',
  exhausted: 'Used up',
  expired: 'Expired',
  void: 'Void',
  locked: 'Locked',
};

export const formatVoucherState = (s: VoucherState) => STATE_LABELS[s];

/** Who has the code: "In stock", "Printed · run 2", "With agent", "Sold by agent"… */
export function formatChannel(v: Pick<VoucherRow, 'channel' | 'printRun' | 'soldAt'>): string {
  switch (v.channel) {
    case 'stock':
      return 'In stock';
    case 'printed':
      return v.printRun === null ? 'Printed (before print runs)' : `Printed · run ${v.printRun}`;
    case 'leased':
      return v.soldAt ? 'Sold by agent' : 'With agent';
    case 'online':
      return v.soldAt ? 'Sold online' : 'Online';
    case 'held':
      return 'Held for tests';
  }
}

/** The batch, plan or tenant figures in the order an operator reads them, zeros left out after the first six. */
export function figureList(f: VoucherFigures): { label: string; value: number }[] {
  const always = [
    { label: 'In stock', value: f.inStock },
    { label: 'Printed', value: f.printed },
    { label: 'With agents', value: f.withAgents },
    { label: 'Sold', value: f.sold },
    { label: 'In use', value: f.inUse },
    { label: 'Used up', value: f.usedUp },
  ];
  const rest = [
    { label: 'Expired', value: f.expired },
    { label: 'Held for tests', value: f.heldForTests },
    { label: 'Test logins', value: f.testLogins },
    { label: 'Void', value: f.void },
    { label: 'Locked', value: f.locked },
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
    u.timeQuotaSeconds === null ? time : `${time} of ${formatShortDuration(u.timeQuotaSeconds)}`,
    u.dataQuotaBytes === null ? data : `${data} of ${formatBytes(Number(u.dataQuotaBytes))}`,
  ].join(' · ');
}

const codes = (n: number) => `${n} code${n === 1 ? '' : 's'}`;

/** What happened after Lock, Unlock or Void, including codes the server left as they were. */
export function describeCodeAction(
  kind: 'lock' | 'unlock' | 'void',
  asked: number,
  result: { changed: number; keptLocked?: number },
): string {
  const verb = { lock: 'Locked', unlock: 'Unlocked', void: 'Voided' }[kind];
  const parts = [`${verb} ${codes(result.changed)}.`];
  const kept = result.keptLocked ?? 0;
  if (kept)
    parts.push(`${codes(kept)} stayed locked: they are on a lost or revoked phone; void them instead.`);
  const unchanged = asked - result.changed - kept;
  if (unchanged > 0) parts.push(`${codes(unchanged)} already ${kind === 'void' ? 'void' : `${kind}ed`}.`);
  return parts.join(' ');
}
