import { describe, expect, it } from 'vitest';
import { desEncryptBlock, expandDesKey, SBOXES } from './des.ts';

const hex = (text: string) => Buffer.from(text, 'hex');

describe('desEncryptBlock', () => {
  it('matches the classic worked example (key 133457799BBCDFF1)', () => {
    expect(desEncryptBlock(hex('133457799BBCDFF1'), hex('0123456789ABCDEF')).toString('hex')).toBe(
      '85e813540f0ab405',
    );
  });

  it('matches the NBS validation vector 0E329232EA6D0D73 / 8787878787878787', () => {
    expect(desEncryptBlock(hex('0E329232EA6D0D73'), hex('8787878787878787')).toString('hex')).toBe(
      '0000000000000000',
    );
  });

  // Random keys and blocks, encrypted with `openssl enc -des-ecb -nopad -provider legacy`.
  it.each([
    ['4f262e4272e169f4', '805436e839d3d6f3', '962fc3b0efcc456b'],
    ['23cac9099da98ec1', '8a8958671d38b5e6', 'f22d319aebffd083'],
    ['ddbea3b0803107d8', '7b1fb4f09ed0d162', '5ecd2aab7b3dc05d'],
  ])('agrees with OpenSSL for key %s', (key, plain, cipher) => {
    expect(desEncryptBlock(hex(key), hex(plain)).toString('hex')).toBe(cipher);
  });

  it('ignores parity bits, as DES does', () => {
    const key = hex('133457799BBCDFF1');
    const flipped = Buffer.from(key.map((b) => b ^ 1));
    expect(desEncryptBlock(flipped, hex('0123456789ABCDEF'))).toEqual(
      desEncryptBlock(key, hex('0123456789ABCDEF')),
    );
  });

  it('has S-box rows that are permutations of 0..15', () => {
    for (const box of SBOXES) {
      for (let row = 0; row < 4; row++) {
        expect([...box.slice(row * 16, row * 16 + 16)].sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
      }
    }
  });

  it('rejects keys and blocks of the wrong size', () => {
    expect(() => desEncryptBlock(Buffer.alloc(7), Buffer.alloc(8))).toThrow(RangeError);
  });
});

describe('expandDesKey', () => {
  it('spreads 56 key bits over 8 bytes, 7 per byte', () => {
    expect(expandDesKey(hex('FFFFFFFFFFFFFF')).toString('hex')).toBe('fefefefefefefefe');
    expect(expandDesKey(hex('80000000000001')).toString('hex')).toBe('8000000000000002');
  });
});
