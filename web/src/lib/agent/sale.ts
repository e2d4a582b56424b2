// Recording a sale: the code leaves stock, the sale and its signed op are written, and the
// phone's sequence moves on, all in one IndexedDB transaction, so a crash or a full disk
// can never leave a sold code without its op or an op without its sale.
import { THIS_DEVICE, type AgentDb, type SaleRecord } from './agent-db.ts';
import { signOp } from './device-key.ts';
import { namedLock, SALE_LOCK_NAME, type WebLock } from './web-lock.ts';
import { normalizePhone, uuidv7, type UnsignedOp } from './sale-op.ts';

export class SaleError extends Error {
  constructor(readonly code: 'sold_out' | 'not_ready' | 'busy' | 'bad_phone' | 'not_found') {
    super(code);
    this.name = 'SaleError';
  }
}

/** The phone's state changed between signing and writing (another tab sold): sign again. */
class StaleRead extends Error {}

const saleLock = namedLock(SALE_LOCK_NAME);

/**
 * Sells the next available code of `product`. The op is signed before the transaction opens
 * (IndexedDB transactions cannot wait for WebCrypto), so sales are prepared one at a time
 * across tabs, and the transaction still re-checks that the sequence and the code are as
 * signed, starting over if they are not.
 */
export function recordSale(db: AgentDb, product: string, now = new Date()): Promise<SaleRecord> {
  return saleLock.run(() => prepareAndCommit(db, product, now));
}

async function prepareAndCommit(db: AgentDb, product: string, now: Date): Promise<SaleRecord> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const device = await db.device.get(THIS_DEVICE);
    if (!device?.serverId || device.status !== 'approved') throw new SaleError('not_ready');
    const item = await db.stock.where('[product+status]').equals([product, 'available']).first();
    if (!item) throw new SaleError('sold_out');
    const unsigned: UnsignedOp = {
      saleId: uuidv7(now.getTime()),
      seq: device.nextSeq,
      kind: 'sale',
      code: item.code,
      amountMinor: item.priceMinor,
      currency: item.currency,
      soldAt: now.toISOString(),
      buyerPhone: null,
    };
    const op = await signOp(device.keyPair.privateKey, device.serverId, unsigned);
    const sale: SaleRecord = {
      saleId: op.saleId,
      seq: op.seq,
      code: op.code,
      planName: item.planName,
      validityText: item.validityText,
      amountMinor: op.amountMinor,
      currency: op.currency,
      buyerPhone: null,
      soldAt: op.soldAt,
      signature: op.signature,
      status: 'pending',
      syncedAt: null,
      reason: null,
    };
    try {
      await db.transaction('rw', [db.device, db.stock, db.sales, db.outbox], async () => {
        const current = await db.device.get(THIS_DEVICE);
        const stock = await db.stock.get(item.code);
        if (current?.nextSeq !== op.seq || stock?.status !== 'available') throw new StaleRead();
        await db.stock.update(item.code, { status: 'sold' });
        await db.sales.add(sale);
        await db.outbox.add({
          seq: op.seq,
          saleId: op.saleId,
          op,
          attempts: 0,
          nextAttemptAt: 0,
          lastError: null,
        });
        await db.device.update(THIS_DEVICE, { nextSeq: op.seq + 1 });
      });
      return sale;
    } catch (e) {
      if (!(e instanceof StaleRead)) throw e;
    }
  }
  throw new SaleError('busy');
}

/**
 * Adds the buyer's phone to a sale that has not reached the server yet, so Kasi texts the
 * code once it syncs. The phone is part of the signed text, so the op is signed again; the
 * outbox lock keeps a push from sending the old version meanwhile.
 */
export async function attachBuyerPhone(
  db: AgentDb,
  lock: WebLock,
  saleId: string,
  input: string,
): Promise<'queued' | 'already_synced'> {
  const buyerPhone = normalizePhone(input);
  if (!buyerPhone) throw new SaleError('bad_phone');
  return lock.run(async () => {
    const [device, sale] = await Promise.all([db.device.get(THIS_DEVICE), db.sales.get(saleId)]);
    if (!device?.serverId || !sale) throw new SaleError('not_found');
    const queued = await db.outbox.get(sale.seq);
    if (!queued || queued.saleId !== saleId) return 'already_synced';
    const { signature: _old, ...unsigned } = queued.op;
    const op = await signOp(device.keyPair.privateKey, device.serverId, { ...unsigned, buyerPhone });
    return db.transaction('rw', [db.sales, db.outbox], async () => {
      if (!(await db.outbox.get(sale.seq))) return 'already_synced' as const;
      await db.outbox.update(sale.seq, { op });
      await db.sales.update(saleId, { buyerPhone, signature: op.signature });
      return 'queued' as const;
    });
  });
}
