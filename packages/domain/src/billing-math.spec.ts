import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateOldestFirst } from './allocation.ts';
import { addPeriods } from './billing-period.ts';
import { invoiceTotals, lineAmounts } from './invoice-math.ts';
import { prorate, prorateChange } from './proration.ts';
import { distribute, divRoundHalfUp } from './rounding.ts';
import { splitTax } from './tax.ts';

const amount = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const price = fc.bigInt({ min: 0n, max: 10n ** 15n });
const rate = fc.record({ rateBps: fc.integer({ min: 0, max: 10_000 }), inclusive: fc.boolean() });
const epoch = Date.UTC(2026, 0, 1);
const period = fc
  .tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 10 ** 8 }))
  .map(([s, len]) => ({ start: new Date(epoch + s * 1000), end: new Date(epoch + (s + len) * 1000) }));

describe('money rules (properties)', () => {
  it('prorated parts sum to the full price at any second of the period', () => {
    fc.assert(
      fc.property(price, period, fc.double({ min: -0.2, max: 1.2, noNaN: true }), (p, per, f) => {
        const at = new Date(per.start.getTime() + f * (per.end.getTime() - per.start.getTime()));
        const { usedMinor, unusedMinor } = prorate(p, per, at);
        expect(usedMinor + unusedMinor).toBe(p);
        expect(usedMinor >= 0n && unusedMinor >= 0n).toBe(true);
      }),
    );
  });

  it('distributes any whole into parts that sum to it exactly, the same way every time', () => {
    fc.assert(
      fc.property(amount, fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1 }), (t, ws) => {
        fc.pre(ws.some((w) => w > 0n));
        const parts = distribute(t, ws);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(t);
        expect(distribute(t, ws)).toEqual(parts);
      }),
    );
  });

  it('an upgrade charges and a downgrade credits exactly the difference of the unused parts', () => {
    fc.assert(
      fc.property(price, price, period, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, per, f) => {
        const at = new Date(per.start.getTime() + f * (per.end.getTime() - per.start.getTime()));
        const r = prorateChange(a, b, per, at);
        expect(r.netMinor).toBe(r.chargeMinor - r.creditMinor);
        if (b >= a) expect(r.netMinor >= 0n).toBe(true);
        else expect(r.netMinor <= 0n).toBe(true);
      }),
    );
  });

  it('an inclusive price splits into net + tax that sum back to it; exclusive adds the tax', () => {
    fc.assert(
      fc.property(amount, rate, (a, r) => {
        const s = splitTax(a, r);
        expect(s.netMinor + s.taxMinor).toBe(s.grossMinor);
        expect(r.inclusive ? s.grossMinor : s.netMinor).toBe(a);
      }),
    );
  });

  it("an invoice's total equals the sum of its lines", () => {
    const line = fc.record({
      quantity: fc.integer({ min: 1, max: 1000 }),
      unitPriceMinor: amount,
      rateBps: fc.integer({ min: 0, max: 10_000 }),
      inclusive: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const amounts = lines.map(lineAmounts);
        const t = invoiceTotals(amounts);
        expect(t.totalMinor).toBe(amounts.reduce((s, l) => s + l.totalMinor, 0n));
        expect(t.subtotalMinor + t.taxMinor).toBe(t.totalMinor);
      }),
    );
  });

  it('allocation never exceeds a due amount and allocated + left over = the payment', () => {
    const items = fc.array(fc.record({ id: fc.uuid(), dueMinor: price }), { maxLength: 20 });
    fc.assert(
      fc.property(price, items, (pay, open) => {
        const { allocations, leftoverMinor } = allocateOldestFirst(pay, open);
        const sum = allocations.reduce((s, a) => s + a.amountMinor, 0n);
        expect(sum + leftoverMinor).toBe(pay);
        for (const a of allocations) {
          expect(a.amountMinor).toBeGreaterThan(0n);
          expect(a.amountMinor <= (open.find((o) => o.id === a.invoiceId)?.dueMinor ?? 0n)).toBe(true);
        }
        if (leftoverMinor > 0n) expect(sum).toBe(open.reduce((s, o) => s + o.dueMinor, 0n));
      }),
    );
  });
});

describe('money rules (examples)', () => {
  it('rounds halves away from zero', () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfUp(4n, 3n)).toBe(1n);
  });

  it('takes 16 % VAT out of an inclusive KES 1,000.00 and adds it to an exclusive one', () => {
    expect(splitTax(100_000n, { rateBps: 1600, inclusive: true })).toEqual({
      netMinor: 86_207n,
      taxMinor: 13_793n,
      grossMinor: 100_000n,
    });
    expect(splitTax(100_000n, { rateBps: 1600, inclusive: false }).grossMinor).toBe(116_000n);
  });

  it('prorates UGX 50,000 over a 30-day month by the second, halfway through', () => {
    const per = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };
    expect(prorate(50_000n, per, new Date('2026-04-16T00:00:00Z'))).toEqual({
      usedMinor: 25_000n,
      unusedMinor: 25_000n,
    });
    // A third of KES 1,000.00 leaves a remainder unit; it goes to the larger remainder.
    const thirds = distribute(100_000n, [1n, 1n, 1n]);
    expect(thirds).toEqual([33_334n, 33_333n, 33_333n]);
  });

  it('adds months on the tenant calendar, clamping to the month end', () => {
    const jan31 = new Date('2026-01-30T21:00:00Z'); // 31 Jan 00:00 in Nairobi (UTC+3)
    expect(addPeriods(jan31, { unit: 'month', count: 1 }, 'Africa/Nairobi').toISOString()).toBe(
      '2026-02-27T21:00:00.000Z',
    );
    const d = addPeriods(new Date('2026-03-28T12:00:00Z'), { unit: 'day', count: 2 }, 'Europe/Berlin');
    expect(d.toISOString()).toBe('2026-03-30T11:00:00.000Z'); // across the DST change, same 13:00 local
    expect(addPeriods(jan31, { unit: 'week', count: 2 }, 'UTC').toISOString()).toBe(
      '2026-02-13T21:00:00.000Z',
    );
  });
});
