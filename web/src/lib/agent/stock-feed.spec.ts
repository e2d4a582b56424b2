import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeKasi, stockedPhone } from './agent.testing.ts';
import { readSyncState, THIS_DEVICE } from './agent-db.ts';
import { recordSale } from './sale.ts';
import { applyFeed, productKey } from './stock-feed.ts';

describe('pulling stock', () => {
  it('adds new codes, drops withdrawn ones and saves the cursor', async () => {
    const kasi = new FakeKasi();
    const { db, serverId, leased } = await stockedPhone(kasi, 2);
    const more = kasi.lease(serverId, 2);
    const feed = await kasi.pull(serverId);
    await applyFeed(db, { ...feed, cursor: '9', revoked: [{ code: leased[0] ?? '', leaseId: 'x' }] });
    const codes = (await db.stock.toArray()).map((s) => s.code).sort();
    expect(codes).toEqual([leased[1], ...more].sort());
    expect((await readSyncState(db)).cursor).toBe('9');
    expect((await db.stock.get(more[0] ?? ''))?.product).toBe(productKey('Hour', '2000', 'KES'));
  });

  it('keeps a code sold here as sold, even when Kasi has not heard of the sale yet', async () => {
    const kasi = new FakeKasi();
    const { db, serverId } = await stockedPhone(kasi, 1);
    const sale = await recordSale(db, productKey('Hour', '2000', 'KES'));
    const feed = await kasi.pull(serverId);
    await applyFeed(db, { ...feed, revoked: [{ code: sale.code, leaseId: 'x' }] });
    expect((await db.stock.get(sale.code))?.status).toBe('sold');
  });

  it('follows the phone status Kasi reports', async () => {
    const kasi = new FakeKasi();
    const { db, serverId } = await stockedPhone(kasi, 1);
    const feed = await kasi.pull(serverId);
    await applyFeed(db, { ...feed, device: { ...feed.device, status: 'revoked' } });
    expect((await db.device.get(THIS_DEVICE))?.status).toBe('revoked');
  });
});
