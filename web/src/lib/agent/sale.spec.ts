import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeKasi, stockedPhone } from './agent.testing.ts';
import { AgentDb, THIS_DEVICE } from './agent-db.ts';
import { outboxLock } from './web-lock.ts';
import { attachBuyerPhone, recordSale, SaleError } from './sale.ts';
import { productKey } from './stock-feed.ts';

const HOUR = productKey('Hour', '2000', 'KES');

async function snapshot(db: AgentDb) {
  return {
    stock: await db.stock.toArray(),
    sales: await db.sales.toArray(),
    outbox: await db.outbox.toArray(),
    device: (await db.device.get(THIS_DEVICE))?.nextSeq,
  };
}

describe('selling a voucher', () => {
  it('marks the code sold, records the sale and queues its signed op together', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 3);
    const sale = await recordSale(db, HOUR, new Date('2026-11-22T08:30:00.000Z'));
    expect(sale).toMatchObject({ seq: 1, amountMinor: '2000', currency: 'KES', status: 'pending' });
    expect((await db.stock.get(sale.code))?.status).toBe('sold');
    const [queued] = await db.outbox.toArray();
    expect(queued?.op).toMatchObject({
      saleId: sale.saleId,
      seq: 1,
      code: sale.code,
      soldAt: '2026-11-22T08:30:00.000Z',
    });
    expect(queued?.op.signature).toBe(sale.signature);
    expect((await db.device.get(THIS_DEVICE))?.nextSeq).toBe(2);
  });

  it('leaves stock, sales and outbox untouched when the transaction fails part-way', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 3);
    await recordSale(db, HOUR);
    // An outbox row already holding the next seq makes the outbox write fail after the
    // stock and sale writes were made inside the same transaction.
    const [first] = await db.outbox.toArray();
    if (!first) throw new Error('no op');
    await db.outbox.put({ ...first, seq: 2 });
    const before = await snapshot(db);
    await expect(recordSale(db, HOUR)).rejects.toThrow(/Key already exists|ConstraintError/);
    expect(await snapshot(db)).toEqual(before);
  });

  it('queues ops in an unbroken sequence, one code each, until the product runs out', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 3);
    const sales = [];
    for (let i = 0; i < 3; i++) sales.push(await recordSale(db, HOUR));
    await expect(recordSale(db, HOUR)).rejects.toEqual(new SaleError('sold_out'));
    expect((await db.outbox.orderBy('seq').toArray()).map((o) => o.seq)).toEqual([1, 2, 3]);
    expect(new Set(sales.map((s) => s.code)).size).toBe(3);
    expect(sales.map((s) => s.saleId)).toEqual([...sales.map((s) => s.saleId)].sort());
  });

  it('never gives two tabs the same seq or the same code', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 6);
    const otherTab = new AgentDb(db.name);
    const sales = await Promise.all(
      [0, 1, 2].flatMap(() => [recordSale(db, HOUR), recordSale(otherTab, HOUR)]),
    );
    expect(sales.map((s) => s.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(sales.map((s) => s.code)).size).toBe(6);
    expect(await db.outbox.count()).toBe(6);
  });

  it('adds a buyer phone to an unsynced sale by signing its op again', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 1);
    const sale = await recordSale(db, HOUR);
    expect(await attachBuyerPhone(db, outboxLock(), sale.saleId, '+254 700 000 001')).toBe('queued');
    const queued = await db.outbox.get(sale.seq);
    expect(queued?.op.buyerPhone).toBe('+254700000001');
    expect(queued?.op.signature).not.toBe(sale.signature);
    expect((await db.sales.get(sale.saleId))?.buyerPhone).toBe('+254700000001');
    await expect(attachBuyerPhone(db, outboxLock(), sale.saleId, 'nope')).rejects.toEqual(
      new SaleError('bad_phone'),
    );
  });
});
