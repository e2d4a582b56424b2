import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  canonicalSaleOp,
  checkSequence,
  commissionFor,
  describeValidity,
  leaseHeadroom,
  saleOp,
  shiftsFromLedger,
  signedSaleOp,
  summariseLedger,
  uuidv7,
  type LedgerLine,
  type SaleOp,
} from './sync.ts';

const op: SaleOp = {
  saleId: '0190f5c2-7a1b-7c3d-8e4f-0123456789ab',
  seq: 7,
  kind: 'sale',
  code: 'KA7Q3MXRT',
  amountMinor: 2000n,
  currency: 'KES',
  soldAt: '2026-03-01T09:15:00.000Z',
  buyerPhone: null,
};

describe('sale ops', () => {
  it('signs a fixed canonical text: sorted keys, amount as a string, device bound in', () => {
    expect(canonicalSaleOp('dev-1', op)).toBe(
      '{"amountMinor":"2000","buyerPhone":null,"code":"KA7Q3MXRT","currency":"KES","deviceId":"dev-1",' +
        '"kind":"sale","saleId":"0190f5c2-7a1b-7c3d-8e4f-0123456789ab","seq":7,"soldAt":"2026-03-01T09:15:00.000Z","v":1}',
    );
    expect(canonicalSaleOp('dev-2', op)).not.toBe(canonicalSaleOp('dev-1', op));
  });

  it('round-trips a WebCrypto P-256 signature over the canonical text', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const algo = { name: 'ECDSA', hash: 'SHA-256' };
    const text = new TextEncoder().encode(canonicalSaleOp('dev-1', op));
    const sig = new Uint8Array(await crypto.subtle.sign(algo, keys.privateKey, text));
    expect(sig.length).toBe(64); // IEEE P1363 r‖s, what the server verifies
    expect(await crypto.subtle.verify(algo, keys.publicKey, sig, text)).toBe(true);
    const other = new TextEncoder().encode(canonicalSaleOp('dev-1', { ...op, amountMinor: 1n }));
    expect(await crypto.subtle.verify(algo, keys.publicKey, sig, other)).toBe(false);
  });

  it('accepts only the exact forms that are signed', () => {
    expect(saleOp.parse({ ...op, buyerPhone: undefined }).buyerPhone).toBeNull();
    for (const bad of [
      { code: 'ka7q3mxrt' },
      { code: 'KA7Q-3MXRT' },
      { code: 'KA7Q3MXR0' },
      { soldAt: '2026-03-01T09:15:00Z' },
      { soldAt: '2026-02-30T09:15:00.000Z' },
      { amountMinor: -1n },
      { seq: 0 },
      { seq: 1.5 },
      { buyerPhone: '07 00 00' },
      { currency: 'kes' },
    ]) {
      expect(
        saleOp.safeParse({ ...op, ...bad }).success,
        JSON.stringify(bad, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)),
      ).toBe(false);
    }
  });

  it('takes base64 of a 64-byte signature only', () => {
    const sig = btoa(String.fromCharCode(...new Uint8Array(64).fill(7)));
    expect(signedSaleOp.safeParse({ ...op, signature: sig }).success).toBe(true);
    expect(signedSaleOp.safeParse({ ...op, signature: sig.slice(4) }).success).toBe(false);
  });
});

describe('sequence', () => {
  it('tells the next op, a gap and a late op apart', () => {
    expect(checkSequence(0, 1)).toEqual({ kind: 'next' });
    expect(checkSequence(4, 5)).toEqual({ kind: 'next' });
    expect(checkSequence(2, 5)).toEqual({ kind: 'gap', missingFrom: 3, missingTo: 4 });
    expect(checkSequence(5, 3)).toEqual({ kind: 'late' });
    expect(checkSequence(5, 5)).toEqual({ kind: 'late' });
  });
});

describe('uuidv7', () => {
  it('makes valid, time-ordered version 7 ids', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(a[14]).toBe('7');
    expect('89ab').toContain(a[19]);
    expect(a.slice(0, 13)).toBe('018bcfe5-6800');
    expect(a < b).toBe(true);
    expect(uuidv7()).not.toBe(uuidv7());
  });
});

describe('validity text', () => {
  it('reads out whole days, hours or minutes', () => {
    expect(describeValidity(null)).toBe('No time limit');
    expect(describeValidity(3600)).toBe('1 hour');
    expect(describeValidity(7 * 86_400)).toBe('7 days');
    expect(describeValidity(5400)).toBe('90 minutes');
    expect(describeValidity(45)).toBe('45 seconds');
  });
});

describe('ledger math', () => {
  it('floors commission in whole minor units, exactly for large amounts', () => {
    expect(commissionFor(1999n, 250)).toBe(49n);
    expect(commissionFor(1000n, 0)).toBe(0n);
    expect(commissionFor(1000n, 10_000)).toBe(1000n);
    expect(commissionFor(10n ** 15n + 1n, 3333)).toBe(333_300_000_000_000n);
    expect(() => commissionFor(100n, 10_001)).toThrow(/basis points/);
    expect(() => commissionFor(100n, 2.5)).toThrow(/basis points/);
    expect(() => commissionFor(-1n, 100)).toThrow(/negative/);
  });

  it('sums signed lines into what the agent owes', () => {
    const lines: LedgerLine[] = [
      { kind: 'sale', amountMinor: 2000n },
      { kind: 'commission', amountMinor: -100n },
      { kind: 'sale', amountMinor: 2000n },
      { kind: 'commission', amountMinor: -100n },
      { kind: 'handover', amountMinor: -3000n },
      { kind: 'adjustment', amountMinor: 50n },
    ];
    expect(summariseLedger(lines)).toEqual({
      salesMinor: 4000n,
      commissionMinor: 200n,
      handedOverMinor: 3000n,
      adjustmentsMinor: 50n,
      outstandingMinor: 850n,
    });
    expect(leaseHeadroom({ creditLimitMinor: 5000n, outstandingMinor: 850n, unsoldFaceMinor: 4000n })).toBe(
      150n,
    );
  });

  it('splits shifts at handovers and carries the shortfall or the prepaid float', () => {
    const at = (d: number) => new Date(Date.UTC(2026, 2, d));
    expect(shiftsFromLedger([])).toEqual([
      expect.objectContaining({ openedAt: null, closedAt: null, expectedMinor: 0n, varianceMinor: null }),
    ]);
    const shifts = shiftsFromLedger([
      { kind: 'handover', amountMinor: -5000n, at: at(1) }, // float paid in advance
      { kind: 'sale', amountMinor: 2000n, at: at(2) },
      { kind: 'commission', amountMinor: -200n, at: at(2) },
      { kind: 'handover', amountMinor: -1000n, at: at(3) },
      { kind: 'sale', amountMinor: 1000n, at: at(4) },
    ]);
    expect(shifts.map((s) => [s.openingMinor, s.expectedMinor, s.handedOverMinor, s.varianceMinor])).toEqual([
      [0n, 0n, 5000n, 5000n],
      [-5000n, -3200n, 1000n, 4200n],
      [-4200n, -3200n, 0n, null],
    ]);
    expect(shifts[1]).toMatchObject({
      openedAt: at(1),
      closedAt: at(3),
      salesMinor: 2000n,
      commissionMinor: 200n,
    });
  });
});
