// The pure halves of reconciling money that went back (ADR 0029, 0037): which provider refund or
// dispute matches which Kasi record, and the day's figures with disputes in them.
import { describe, expect, it } from 'vitest';
import { compareMoneyBack, dayFigures, type KasiRefund, type ProviderRefund } from './reconcile-money.ts';

const start = new Date('2026-12-06T21:00:00Z');
const end = new Date('2026-12-07T21:00:00Z');
const at = new Date('2026-12-07T09:00:00Z');

const provider = (ref: string, amountMinor: bigint, paymentRef = 'pi_1'): ProviderRefund => ({
  ref,
  paymentRef,
  amountMinor,
  currency: 'USD',
  at,
});
const kasi = (id: string, kind: KasiRefund['kind'], ref: string | null, amountMinor: bigint): KasiRefund => ({
  id,
  kind,
  paymentId: 'payment-1',
  ref,
  paymentRef: 'pi_1',
  amountMinor,
  currency: 'USD',
  at,
});

describe('compareMoneyBack', () => {
  it('matches a provider refund to Kasi’s refund before its dispute of the same payment and amount', () => {
    // Neither Kasi record carries the provider's id: only payment and amount tie them, and the
    // one left over is the dispute Stripe does not list.
    const out = compareMoneyBack({
      refunds: [provider('re_1', 500n)],
      disputes: [],
      reinstated: [],
      kasi: [kasi('k-dispute', 'dispute', null, 500n), kasi('k-refund', 'refund', null, 500n)],
      paymentIds: new Map(),
      start,
      end,
    });
    expect(out).toEqual([
      expect.objectContaining({ kind: 'dispute_missing_at_provider', kasiAmountMinor: 500n }),
    ]);
  });

  it('lists a dispute only at the provider with its payment, one only in Kasi, and every dispute won', () => {
    const out = compareMoneyBack({
      refunds: [],
      disputes: [provider('dp_at_provider', 700n, 'pi_2')],
      reinstated: [provider('dp_won', 300n)],
      kasi: [kasi('k1', 'dispute', 'dp_in_kasi', 900n)],
      paymentIds: new Map([
        ['pi_1', 'payment-1'],
        ['pi_2', 'payment-2'],
      ]),
      start,
      end,
    });
    expect(out).toEqual([
      expect.objectContaining({
        kind: 'dispute_missing_in_kasi',
        providerRef: 'dp_at_provider',
        paymentId: 'payment-2',
      }),
      expect.objectContaining({
        kind: 'dispute_missing_at_provider',
        providerRef: 'dp_in_kasi',
        kasiAmountMinor: 900n,
      }),
      expect.objectContaining({ kind: 'dispute_reinstated', providerRef: 'dp_won', paymentId: 'payment-1' }),
    ]);
  });

  it('matches a provider chargeback to a Kasi refund of the same payment and amount (PayPal’s reversal)', () => {
    const out = compareMoneyBack({
      refunds: [],
      disputes: [provider('T1201-ID', 4_000n)],
      reinstated: [],
      kasi: [kasi('k1', 'refund', 'REVERSAL-ID', 4_000n)],
      paymentIds: new Map(),
      start,
      end,
    });
    expect(out).toEqual([]);
  });
});

describe('dayFigures', () => {
  it('takes disputes won off the disputes figure and disputes off net', () => {
    const [f] = dayFigures({
      received: [{ amountMinor: 10_000n, currency: 'USD', at }],
      refunds: [provider('re_1', 1_000n)],
      disputes: [provider('dp_1', 3_000n), provider('dp_2', 2_000n)],
      reinstated: [provider('dp_1', 3_000n)],
      movements: [{ kind: 'fee', amountMinor: 500n, currency: 'USD', at }],
      kasiReceived: [{ amountMinor: 10_000n, currency: 'USD', at }],
      kasiRefunds: [kasi('k1', 'refund', 're_1', 1_000n), kasi('k2', 'dispute', 'dp_1', 3_000n)],
      start,
      end,
    });
    expect(f).toMatchObject({
      disputesMinor: 2_000n,
      netMinor: 10_000n - 500n - 1_000n - 2_000n,
      kasiRefundsMinor: 1_000n,
      kasiDisputesMinor: 3_000n,
    });
  });
});
