// Applies a pull from Kasi: new stock is added, withdrawn stock removed, and the cursor,
// the phone's status and today's server figures saved, in one transaction each. Codes
// this phone has already sold stay sold even if the server has not heard of the sale yet.
import { patchSyncState, readSyncState, THIS_DEVICE, type AgentDb, type StockItem } from './agent-db.ts';
import type { PullFeed, TodayFeed } from './sync-types.ts';

export const productKey = (planName: string, priceMinor: string, currency: string) =>
  `${planName}\u241f${priceMinor}\u241f${currency}`;

export async function applyFeed(db: AgentDb, feed: PullFeed): Promise<void> {
  await db.transaction('rw', [db.stock, db.device, db.syncState], async () => {
    const known = await db.stock.bulkGet(feed.leased.map((l) => l.code));
    const fresh: StockItem[] = [];
    feed.leased.forEach((l, i) => {
      if (known[i]?.status === 'sold') return;
      const priceMinor = l.priceMinor.toString();
      fresh.push({
        code: l.code,
        product: productKey(l.planName, priceMinor, l.currency),
        leaseId: l.leaseId,
        planName: l.planName,
        validityText: l.validityText,
        priceMinor,
        currency: l.currency,
        status: 'available',
      });
    });
    await db.stock.bulkPut(fresh);
    const withdrawn = await db.stock.bulkGet(feed.revoked.map((r) => r.code));
    await db.stock.bulkDelete(withdrawn.flatMap((s) => (s?.status === 'available' ? [s.code] : [])));
    await db.device.update(THIS_DEVICE, { status: feed.device.status });
    await patchSyncState(db, { cursor: feed.cursor });
  });
}

export async function applyToday(db: AgentDb, today: TodayFeed, now = Date.now()): Promise<void> {
  await patchSyncState(db, {
    serverToday: {
      fetchedAt: new Date(now).toISOString(),
      salesCount: today.salesCount,
      salesMinor: today.salesMinor.toString(),
      owedMinor: today.owedMinor.toString(),
      currency: today.currency,
    },
  });
}

export async function currentCursor(db: AgentDb): Promise<string | null> {
  return (await readSyncState(db)).cursor;
}
