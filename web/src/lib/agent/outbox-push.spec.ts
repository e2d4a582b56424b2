import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeKasi, stockedPhone } from './agent.testing.ts';
import { AgentDb, readSyncState } from './agent-db.ts';
import { outboxLock } from './web-lock.ts';
import { pushOutbox, type SyncContext } from './outbox-push.ts';
import { attachBuyerPhone, recordSale } from './sale.ts';
import { productKey } from './stock-feed.ts';
import { SyncError } from './sync-error.ts';

const HOUR = productKey('Hour', '2000', 'KES');

async function phoneWithSales(kasi: FakeKasi, sales: number, stock = sales) {
  const phone = await stockedPhone(kasi, stock);
  for (let i = 0; i < sales; i++) await recordSale(phone.db, HOUR);
  const ctx: SyncContext = { db: phone.db, transport: kasi, lock: outboxLock(), random: () => 0 };
  return { ...phone, ctx };
}

describe('pushing the outbox', () => {
  it('sends ops in seq order, in small batches, and empties the outbox', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 7);
    expect(await pushOutbox({ ...ctx, batchSize: 3 })).toEqual({ applied: 7, duplicate: 0, rejected: 0 });
    expect(kasi.pushes).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.sales.toArray()).every((s) => s.status === 'synced')).toBe(true);
    expect(kasi.sales.size).toBe(7);
  });

  it('replays an op whose answer was lost; Kasi answers duplicate and keeps one sale', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 2);
    // Kasi applies the ops, then the connection drops before the answer reaches the phone.
    kasi.afterApply = () => {
      kasi.afterApply = null;
      throw new SyncError('network', 'connection reset');
    };
    await expect(pushOutbox({ ...ctx, now: () => 50_000 })).rejects.toThrow('connection reset');
    expect(kasi.sales.size).toBe(2);
    const waiting = await db.outbox.toArray();
    expect(waiting.map((o) => [o.seq, o.attempts, o.lastError])).toEqual([
      [1, 1, 'connection reset'],
      [2, 1, 'connection reset'],
    ]);
    expect(await readSyncState(db)).toMatchObject({ failures: 1, retryAt: 51_000 });

    expect(await pushOutbox(ctx)).toEqual({ applied: 0, duplicate: 2, rejected: 0 });
    expect(kasi.sales.size).toBe(2);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.sales.toArray()).map((s) => s.status)).toEqual(['synced', 'synced']);
    expect(await readSyncState(db)).toMatchObject({ failures: 0, retryAt: 0, lastError: null });
  });

  it('replays an op whose answer arrived but was never recorded, as when the app dies', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 1);
    // The answer reaches the phone, then the transaction that records it never commits.
    const crash = () => {
      throw new Error('app killed');
    };
    db.outbox.hook('deleting', crash);
    await expect(pushOutbox(ctx)).rejects.toThrow('app killed');
    db.outbox.hook('deleting').unsubscribe(crash);
    expect(kasi.sales.size).toBe(1);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.sales.toArray())[0]?.status).toBe('pending');

    const restarted: SyncContext = { ...ctx, db: new AgentDb(db.name) };
    expect(await pushOutbox(restarted)).toEqual({ applied: 0, duplicate: 1, rejected: 0 });
    expect(kasi.sales.size).toBe(1);
    expect(kasi.pushes).toEqual([[1], [1]]);
    expect((await db.sales.toArray())[0]?.status).toBe('synced');
  });

  it('backs off further with every failed attempt', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 1);
    const retries = [];
    for (let i = 0; i < 4; i++) {
      kasi.failNext = new SyncError('network', 'offline');
      await expect(pushOutbox({ ...ctx, now: () => 0 })).rejects.toThrow('offline');
      retries.push((await readSyncState(db)).retryAt);
    }
    expect(retries).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect((await db.outbox.toArray())[0]?.attempts).toBe(4);
  });

  it('takes a refused sale out of the outbox and keeps it for the agent to see', async () => {
    const kasi = new FakeKasi();
    const { db, ctx, leased } = await phoneWithSales(kasi, 2);
    // Another phone's sale of the first code reached Kasi first.
    const first = await db.sales.where('seq').equals(1).first();
    const voucher = kasi.vouchers.get(first?.code ?? '');
    if (voucher) voucher.soldBy = 'someone-else';
    expect(leased).toContain(first?.code);
    expect(await pushOutbox(ctx)).toEqual({ applied: 1, duplicate: 0, rejected: 1 });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.rejections.toArray()).toEqual([
      expect.objectContaining({ seq: 1, code: first?.code, reason: 'already_sold', amountMinor: '2000' }),
    ]);
    expect((await db.sales.where('seq').equals(1).first())?.status).toBe('rejected');
  });

  it('sets aside an op Kasi cannot read and sends the rest', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 3);
    const push = kasi.push.bind(kasi);
    kasi.push = async (deviceId, ops) => {
      if (ops.some((o) => o.seq === 2)) throw new SyncError('invalid', 'Invalid input');
      return push(deviceId, ops);
    };
    expect(await pushOutbox(ctx)).toEqual({ applied: 2, duplicate: 0, rejected: 1 });
    expect((await db.rejections.toArray()).map((r) => [r.seq, r.reason])).toEqual([[2, 'invalid_op']]);
  });

  it('stops and says so when the session has ended', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 1);
    kasi.failNext = new SyncError('signed-out', 'Log in again');
    await expect(pushOutbox(ctx)).rejects.toThrow('Log in again');
    expect(await readSyncState(db)).toMatchObject({ blocked: 'signed-out', lastError: 'Log in again' });
    expect(await db.outbox.count()).toBe(1);
  });

  it('lets one tab drain at a time; the other finds nothing left to send', async () => {
    const kasi = new FakeKasi();
    kasi.latencyMs = 20;
    const { db, ctx } = await phoneWithSales(kasi, 6);
    const otherTab: SyncContext = { ...ctx, db: new AgentDb(db.name), lock: outboxLock() };
    const [a, b] = await Promise.all([
      pushOutbox({ ...ctx, batchSize: 2 }),
      pushOutbox({ ...otherTab, batchSize: 2 }),
    ]);
    expect(kasi.maxInFlight).toBe(1);
    expect(kasi.pushes.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.applied + b.applied).toBe(6);
    expect(a.duplicate + b.duplicate).toBe(0);
  });

  it('sends a buyer phone added after the sale with the signed op, so Kasi can text the code', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 1);
    const [sale] = await db.sales.toArray();
    expect(await attachBuyerPhone(db, outboxLock(), sale?.saleId ?? '', '0700 000 001')).toBe('queued');
    expect(await pushOutbox(ctx)).toMatchObject({ applied: 1 });
    expect(kasi.sales.get(sale?.saleId ?? '')?.buyerPhone).toBe('0700000001');
    expect(await attachBuyerPhone(db, outboxLock(), sale?.saleId ?? '', '0700000002')).toBe('already_synced');
  });

  it('still gets the buyer phone to Kasi when it was added after an answer was lost', async () => {
    const kasi = new FakeKasi();
    const { db, ctx } = await phoneWithSales(kasi, 1);
    kasi.afterApply = () => {
      kasi.afterApply = null;
      throw new SyncError('network', 'connection reset');
    };
    await expect(pushOutbox(ctx)).rejects.toThrow('connection reset');
    const [sale] = await db.sales.toArray();
    expect(await attachBuyerPhone(db, outboxLock(), sale?.saleId ?? '', '+254700000001')).toBe('queued');
    expect(await pushOutbox(ctx)).toEqual({ applied: 0, duplicate: 1, rejected: 0 });
    expect(kasi.sales.get(sale?.saleId ?? '')?.buyerPhone).toBe('+254700000001');
    expect((await db.sales.get(sale?.saleId ?? ''))?.status).toBe('synced');
  });
});
