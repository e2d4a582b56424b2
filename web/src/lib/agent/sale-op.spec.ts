import { createPublicKey, verify, type JsonWebKey as NodeJwk } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalSaleOp, formatMoney, formatVoucherCode } from '@kasi/domain';
import { createDeviceKey, signOp } from './device-key.ts';
import { formatMinor, groupCode } from './money.ts';
import { canonicalSaleText, normalizePhone, uuidv7, type UnsignedOp } from './sale-op.ts';

const op: UnsignedOp = {
  saleId: '0190f3c4-7a1b-7c00-8000-000000000001',
  seq: 7,
  kind: 'sale',
  code: 'ABCD2345X',
  amountMinor: '2050',
  currency: 'KES',
  soldAt: '2026-11-22T08:30:00.000Z',
  buyerPhone: null,
};

describe('the signed sale text', () => {
  it('is byte for byte the text the server verifies, with and without a buyer phone', () => {
    for (const o of [op, { ...op, buyerPhone: '+254700000001', amountMinor: '9007199254740993' }]) {
      expect(canonicalSaleText('dev-1', o)).toBe(
        canonicalSaleOp('dev-1', { ...o, amountMinor: BigInt(o.amountMinor) }),
      );
    }
  });

  it('is signed in the P1363 form that node verifies with the enrolled public key', async () => {
    const { keyPair, publicJwk } = await createDeviceKey();
    expect(keyPair.privateKey.extractable).toBe(false);
    const signed = await signOp(keyPair.privateKey, 'dev-1', op);
    const key = createPublicKey({ key: publicJwk as NodeJwk, format: 'jwk' });
    const text = Buffer.from(canonicalSaleText('dev-1', op));
    const signature = Buffer.from(signed.signature, 'base64');
    expect(signature).toHaveLength(64);
    expect(verify('sha256', text, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from(canonicalSaleText('dev-2', op)),
        { key, dsaEncoding: 'ieee-p1363' },
        signature,
      ),
    ).toBe(false);
  });
});

describe('sale ids', () => {
  it('are version 7 UUIDs that sort by time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });
});

describe('display helpers', () => {
  it('format money exactly as the operator console does', () => {
    for (const [minor, currency] of [
      [2050n, 'KES'],
      [5n, 'USD'],
      [1500n, 'UGX'],
      [12345n, 'KWD'],
      [-250n, 'KES'],
      [123456789012345678n, 'KES'],
    ] as const) {
      expect(formatMinor(minor, currency)).toBe(formatMoney({ amountMinor: minor, currency }));
      expect(formatMinor(minor.toString(), currency)).toBe(formatMoney({ amountMinor: minor, currency }));
    }
  });

  it('group codes as printed sheets do', () => {
    for (const code of ['ABCD2345X', 'ABCDEFGH', 'ABC'])
      expect(groupCode(code)).toBe(formatVoucherCode(code));
  });

  it('accept buyer phones in the form the server takes', () => {
    expect(normalizePhone('+254 700 000-001')).toBe('+254700000001');
    expect(normalizePhone('0700 000 001')).toBe('0700000001');
    expect(normalizePhone('call me')).toBeNull();
    expect(normalizePhone('12345')).toBeNull();
  });
});
