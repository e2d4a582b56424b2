import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeKasi, stockedPhone } from './agent.testing.ts';
import { THIS_DEVICE } from './agent-db.ts';
import { groupProducts } from './products.ts';
import {
  describeRefusal,
  NO_SIGNAL,
  requestStock,
  StockError,
  type StockTransport,
} from './stock-request.ts';
import { syncOnce } from './sync-run.ts';
import { outboxLock } from './web-lock.ts';

const HOUR = {
  id: '00000000-0000-4000-8000-0000000000b1',
  name: 'Hour',
  priceMinor: '2000',
  currency: 'KES',
};

/** Kasi's lease rule in small: codes at face value must fit under what is left of the limit. */
function leasingKasi(kasi: FakeKasi, headroomMinor: bigint): StockTransport & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    plans: async () => [HOUR],
    async requestLease({ deviceId, count }) {
      asked.push(count);
      const cost = 2000n * BigInt(count);
      if (cost > headroomMinor) {
        throw new StockError('LEASE.LIMIT_EXCEEDED', 'This lease would take the agent past their limit', {
          headroomMinor,
        });
      }
      headroomMinor -= cost;
      return kasi.lease(deviceId, count).length;
    },
  };
}

async function phone(headroomMinor: bigint) {
  const kasi = new FakeKasi();
  const { db } = await stockedPhone(kasi, 2);
  const transport = leasingKasi(kasi, headroomMinor);
  const sync = () => syncOnce({ db, transport: kasi, lock: outboxLock() }).then(() => undefined);
  const left = async () => groupProducts(await db.stock.toArray())[0]?.left ?? 0;
  return { db, kasi, transport, deps: { db, transport, sync }, left };
}

describe('asking Kasi for more stock', () => {
  it('leases the codes and brings them onto the phone with the next pull', async () => {
    const { deps, left } = await phone(20_000n);
    expect(await left()).toBe(2);
    expect(await requestStock(deps, HOUR, 3)).toEqual({ granted: 3 });
    expect(await left()).toBe(5);
  });

  it('says how much fits when the request is over the limit, and changes nothing', async () => {
    const { deps, left } = await phone(7_000n);
    expect(await requestStock(deps, HOUR, 10)).toEqual({
      refused: 'That is over your limit. You can take 3 more codes of Hour (70.00 KES left).',
    });
    expect(await left()).toBe(2);
  });

  it('tells the agent to hand over cash when nothing fits', async () => {
    const { deps } = await phone(1_000n);
    const outcome = await requestStock(deps, HOUR, 1);
    expect(outcome).toEqual({ refused: expect.stringContaining('Hand over cash first') });
  });

  it('says plainly that stock needs a connection when Kasi cannot be reached', async () => {
    const { deps } = await phone(20_000n);
    const offline = {
      ...deps,
      transport: {
        plans: async () => [],
        requestLease: () => Promise.reject(new StockError('network', 'No connection to Kasi')),
      },
    };
    expect(await requestStock(offline, HOUR, 1)).toEqual({ refused: NO_SIGNAL });
  });

  it('does not ask Kasi from a phone that may not sell, or for no codes', async () => {
    const { db, deps, transport } = await phone(20_000n);
    expect(await requestStock(deps, HOUR, 0)).toEqual({ refused: 'Ask for at least one code.' });
    await db.device.update(THIS_DEVICE, { status: 'revoked' });
    expect(await requestStock(deps, HOUR, 1)).toMatchObject({ refused: expect.stringContaining('operator') });
    expect(transport.asked).toEqual([]);
  });

  it('explains the other refusals Kasi answers with', () => {
    const refusal = (code: string, details = {}) =>
      describeRefusal(new StockError(code, 'raw', details), HOUR);
    expect(refusal('LEASE.NOT_ENOUGH_CODES', { available: 1 })).toBe(
      'Kasi has only 1 free code of Hour. Ask for fewer, or ask your operator to make more.',
    );
    expect(refusal('AGENT.SUSPENDED')).toContain('suspended');
    expect(refusal('PLAN.INACTIVE')).toContain('no longer on sale');
    expect(describeRefusal(new Error('boom'), HOUR)).not.toContain('boom');
  });
});
