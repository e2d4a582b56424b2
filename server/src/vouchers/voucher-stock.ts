// The one way codes leave stock. A lease, a print run and a test hold each take the oldest
// sellable stock codes with one UPDATE of rows picked `FOR UPDATE SKIP LOCKED`, so two draws
// at once never take the same code and never wait on each other; a code a customer has
// already logged in with is never drawn.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { vouchers, type Executor } from '@kasi/db';
import { conflict } from '@kasi/domain';

export type StockDestination =
  | { channel: 'leased'; leasedDeviceId: string; leaseId: string }
  | { channel: 'printed'; printRunId: string }
  | { channel: 'held' }
  /** Sold through a paid "buy plan" pay link: sold the moment it is drawn. */
  | { channel: 'online'; soldAt: Date };

export interface StockDraw {
  tenantId: string;
  /** Draw from one batch, or from every batch of one plan. */
  from: { batchId: string } | { planId: string };
  count: number;
  to: StockDestination;
  /** The error code of a short draw, for callers whose clients already know one. */
  shortCode?: string;
}

/** Codes in stock that may still be handed out: not void, not locked, never used. */
export const sellableStock = (tenantId: string) =>
  and(
    eq(vouchers.tenantId, tenantId),
    eq(vouchers.channel, 'stock'),
    eq(vouchers.status, 'generated'),
    eq(vouchers.locked, false),
    isNull(vouchers.firstUsedAt),
  );

/**
 * Moves up to `count` stock codes to the destination and returns them (sorted). Fewer than
 * asked is an error: the caller's transaction rolls back whatever this drew.
 */
export async function drawStock(tx: Executor, draw: StockDraw): Promise<{ id: string; code: string }[]> {
  const source =
    'batchId' in draw.from ? eq(vouchers.batchId, draw.from.batchId) : eq(vouchers.planId, draw.from.planId);
  // A CTE, not `id in (subquery)`: PostgreSQL may run an IN subquery again for each row it
  // updates, and a LIMIT … SKIP LOCKED subquery run again picks other rows each time (a test
  // saw one run of 10 take all 30 codes). A locking CTE is run exactly once.
  const picked = tx.$with('picked').as(
    tx
      .select({ id: vouchers.id })
      .from(vouchers)
      .where(and(sellableStock(draw.tenantId), source))
      .orderBy(asc(vouchers.createdAt), asc(vouchers.code))
      .limit(draw.count)
      .for('update', { skipLocked: true }),
  );
  const taken = await tx
    .with(picked)
    .update(vouchers)
    .set(
      draw.to.channel === 'leased'
        ? { ...draw.to, status: 'leased' }
        : draw.to.channel === 'online'
          ? { channel: 'online', status: 'sold', soldAt: draw.to.soldAt }
          : draw.to,
    )
    .where(
      and(
        eq(vouchers.tenantId, draw.tenantId),
        inArray(vouchers.id, tx.select({ id: picked.id }).from(picked)),
      ),
    )
    .returning({ id: vouchers.id, code: vouchers.code });
  if (taken.length < draw.count) {
    const where = 'batchId' in draw.from ? 'this batch' : 'this plan';
    throw conflict(
      draw.shortCode ?? 'VOUCHER.NOT_ENOUGH_STOCK',
      `Only ${taken.length} codes of ${where} are in stock`,
      {
        available: taken.length,
      },
    );
  }
  return taken.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
