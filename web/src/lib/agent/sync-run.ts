// One sync: push the outbox, then pull stock changes and today's figures. Pulling after
// pushing means codes just sold are already sold on the server when the feed is read.
import { patchSyncState, THIS_DEVICE } from './agent-db.ts';
import { pushOutbox, recordSyncFailure, type PushSummary, type SyncContext } from './outbox-push.ts';
import { applyFeed, applyToday, currentCursor } from './stock-feed.ts';
import { asSyncError } from './sync-error.ts';

export async function syncOnce(ctx: SyncContext): Promise<PushSummary | null> {
  const device = await ctx.db.device.get(THIS_DEVICE);
  if (!device?.serverId) return null;
  const pushed = await pushOutbox(ctx);
  try {
    // Started together so tRPC batches them into one request: one round trip on a slow link.
    const cursor = await currentCursor(ctx.db);
    const [feed, today] = await Promise.all([
      ctx.transport.pull(device.serverId, cursor),
      ctx.transport.today(),
    ]);
    await applyFeed(ctx.db, feed);
    await applyToday(ctx.db, today, ctx.now?.());
  } catch (e) {
    const error = asSyncError(e);
    await recordSyncFailure(ctx, [], error);
    throw error;
  }
  await patchSyncState(ctx.db, { lastSyncAt: new Date(ctx.now?.() ?? Date.now()).toISOString() });
  return pushed;
}
