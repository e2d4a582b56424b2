// The Today screen's figures, computed on the phone from its own sales (synced or not), so
// they are right with no signal; Kasi's figures from the last sync are shown beside them.
import type { SaleRecord, ServerToday } from './agent-db.ts';
import { commissionOn } from './money.ts';

export interface TodayFigures {
  count: number;
  /** Cash taken today, per currency (a phone normally sells in one). */
  cash: Map<string, bigint>;
  pending: number;
  rejected: number;
  /** What the agent owes: Kasi's figure at the last sync plus sales Kasi has not seen yet. */
  owed: { amountMinor: bigint; currency: string; asOf: string } | null;
}

export function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export function todayFigures(
  sales: SaleRecord[],
  server: ServerToday | null,
  commissionBps: number,
  now = new Date(),
): TodayFigures {
  const since = startOfDay(now).toISOString();
  const today = sales.filter((s) => s.soldAt >= since);
  const cash = new Map<string, bigint>();
  for (const s of today) cash.set(s.currency, (cash.get(s.currency) ?? 0n) + BigInt(s.amountMinor));
  let owed: TodayFigures['owed'] = null;
  if (server) {
    let amountMinor = BigInt(server.owedMinor);
    // Every unsynced sale, whatever its day: none of them is in Kasi's figure yet.
    for (const s of sales) {
      if (s.status !== 'pending' || s.currency !== server.currency) continue;
      const face = BigInt(s.amountMinor);
      amountMinor += face - commissionOn(face, commissionBps);
    }
    owed = { amountMinor, currency: server.currency, asOf: server.fetchedAt };
  }
  return {
    count: today.length,
    cash,
    pending: sales.filter((s) => s.status === 'pending').length,
    rejected: today.filter((s) => s.status === 'rejected').length,
    owed,
  };
}
