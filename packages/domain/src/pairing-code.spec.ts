import { describe, expect, it } from 'vitest';
import { keyFingerprint, pairingCode } from './pairing-code.ts';
import { VOUCHER_ALPHABET } from './voucher-code.ts';

const sha256Hex = async (text: string) =>
  keyFingerprint(new TextEncoder().encode(text).buffer as ArrayBuffer);

describe('pairingCode', () => {
  it('is four symbols of the voucher alphabet, the same for the same fingerprint', async () => {
    const fp = await sha256Hex('a key');
    const code = pairingCode(fp);
    expect(code).toMatch(new RegExp(`^[${VOUCHER_ALPHABET}]{4}$`));
    expect(pairingCode(fp)).toBe(code);
    expect(pairingCode(fp.toUpperCase())).toBe(code);
  });

  it('writes the first 32 bits in base 28', () => {
    // 0x00000000 → all zero symbols; 28^3 → one then three zero symbols.
    expect(pairingCode('00000000' + 'ab'.repeat(28))).toBe('2222');
    expect(pairingCode((28 ** 3).toString(16).padStart(8, '0'))).toBe('3222');
    expect(pairingCode('0000001b')).toBe('222' + VOUCHER_ALPHABET[27]);
  });

  it('tells different keys apart', async () => {
    const codes = new Set(
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => pairingCode(await sha256Hex(`key ${i}`))),
      ),
    );
    // 200 draws from ~615,000 codes: a clash is unlikely (p ≈ 3%), more than two far less.
    expect(codes.size).toBeGreaterThanOrEqual(198);
  });

  it('refuses what is not a hex fingerprint', () => {
    expect(() => pairingCode('')).toThrow();
    expect(() => pairingCode('not-hex!')).toThrow();
  });

  it('is the same from the SPKI the phone exports and from its JWK imported again (as the server does)', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const phoneSide = await keyFingerprint(await crypto.subtle.exportKey('spki', pair.publicKey));
    // The server receives the JWK and stores the key as SPKI DER.
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const received = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'verify',
    ]);
    const serverSide = await keyFingerprint(await crypto.subtle.exportKey('spki', received));
    expect(phoneSide).toMatch(/^[0-9a-f]{64}$/);
    expect(pairingCode(phoneSide)).toBe(pairingCode(serverSide));
  });
});
