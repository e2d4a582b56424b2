import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeKasi, stockedPhone } from './agent.testing.ts';
import { THIS_DEVICE } from './agent-db.ts';
import { hashPin, isValidPin, newPinProblem, pinLockoutMs, verifyPin } from './pin.ts';
import { checkPin, replacePin } from './pin-lock.ts';

describe('the PIN', () => {
  it('is stored only as a salted hash that the right PIN matches', async () => {
    const stored = await hashPin('2468', 1_000);
    expect(JSON.stringify(stored)).not.toContain('2468');
    expect(await verifyPin('2468', stored)).toBe(true);
    expect(await verifyPin('2469', stored)).toBe(false);
    expect((await hashPin('2468', 1_000)).hash).not.toBe(stored.hash);
  });

  it('takes 4 to 8 digits', () => {
    expect(['1234', '12345678'].every(isValidPin)).toBe(true);
    expect(['123', '123456789', '12a4', ''].some(isValidPin)).toBe(false);
  });

  it('locks out after five wrong PINs, longer each time, and remembers across reloads', async () => {
    expect([4, 5, 6, 7, 20].map(pinLockoutMs)).toEqual([0, 30_000, 60_000, 120_000, 900_000]);
    const { db } = await stockedPhone(new FakeKasi(), 1);
    const t = 1_000_000;
    for (let i = 0; i < 4; i++) expect(await checkPin(db, '0000', t)).toEqual({ ok: false, waitMs: 0 });
    expect(await checkPin(db, '0000', t)).toEqual({ ok: false, waitMs: 30_000 });
    // Even the right PIN waits out the lockout.
    expect(await checkPin(db, '2468', t + 1_000)).toEqual({ ok: false, waitMs: 29_000 });
    expect(await checkPin(db, '2468', t + 30_000)).toEqual({ ok: true });
    expect((await db.device.get(THIS_DEVICE))?.pinFailures).toBe(0);
  });

  it('can be replaced after an online login', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 1);
    await replacePin(db, '13579');
    expect(await checkPin(db, '2468')).toEqual({ ok: false, waitMs: 0 });
    expect(await checkPin(db, '13579')).toEqual({ ok: true });
  });
});

describe('choosing a PIN', () => {
  it('refuses runs, repeats and wrong lengths, saying why', () => {
    for (const pin of ['1234', '4321', '0000', '1111', '123456', '1212', '987654']) {
      expect(newPinProblem(pin), pin).toMatch(/Too easy/);
    }
    expect(newPinProblem('123')).toBe('Use 4 to 8 digits (this one has 3).');
    expect(newPinProblem('12a4')).toBe('Use digits only, 4 to 8 of them.');
    for (const pin of ['2468', '7391', '50821', '13572468']) expect(newPinProblem(pin), pin).toBeNull();
  });
});
