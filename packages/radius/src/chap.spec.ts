import { describe, expect, it } from 'vitest';
import { chapResponse, verifyChap } from './chap.ts';

const challenge = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

describe('CHAP (RFC 1994, RFC 2865 §5.3)', () => {
  // Expected digests computed independently with `openssl md5` over ident + password + challenge.
  it('computes ident + MD5(ident + password + challenge)', () => {
    expect(chapResponse({ ident: 1, password: 'password', challenge }).toString('hex')).toBe(
      '0151b4c75f261478f67e37e429440e294d',
    );
    const odd = Buffer.from('a0b1c2d3e4f5061728394a5b6c7d8e9f0011', 'hex');
    expect(chapResponse({ ident: 0x2a, password: 'clientPass', challenge: odd }).toString('hex')).toBe(
      '2a1d54d048068a21c67f9260ad6a618f06',
    );
  });

  it('verifies the right password and rejects a wrong one', () => {
    const chapPassword = chapResponse({ ident: 9, password: 'secret-voucher', challenge });
    expect(verifyChap({ chapPassword, challenge, password: 'secret-voucher' })).toBe(true);
    expect(verifyChap({ chapPassword, challenge, password: 'secret-voucheR' })).toBe(false);
    expect(verifyChap({ chapPassword, challenge: Buffer.alloc(16), password: 'secret-voucher' })).toBe(false);
  });

  it('rejects a CHAP-Password of the wrong length or a tampered ident', () => {
    const chapPassword = chapResponse({ ident: 9, password: 'pw', challenge });
    expect(verifyChap({ chapPassword: chapPassword.subarray(0, 16), challenge, password: 'pw' })).toBe(false);
    const tampered = Buffer.from(chapPassword);
    tampered[0] = 10;
    expect(verifyChap({ chapPassword: tampered, challenge, password: 'pw' })).toBe(false);
    expect(verifyChap({ chapPassword, challenge: Buffer.alloc(0), password: 'pw' })).toBe(false);
  });
});
