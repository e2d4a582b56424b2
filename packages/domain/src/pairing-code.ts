// The pairing code: four characters the agent's phone shows while it waits for approval and
// the console shows beside the pending phone, so an operator approves the phone in front of
// them and not another "My phone". Derived from the enrolment itself — the SHA-256 fingerprint
// of the device's public key (SPKI DER) — so nothing new is stored or sent: the phone hashes
// its own key, the server hashes the key it was sent. Uses the voucher alphabet (no look-alike
// characters). 28^4 ≈ 615,000 codes: plenty to tell a handful of pending phones apart, not a
// secret, not a proof.
import { VOUCHER_ALPHABET } from './voucher-code.ts';

export const PAIRING_CODE_LENGTH = 4;

/** The code of a key fingerprint (hex SHA-256 of the SPKI DER, as the server stores it). */
export function pairingCode(fingerprintHex: string): string {
  if (!/^[0-9a-f]{8,}$/i.test(fingerprintHex)) throw new Error('not a hex key fingerprint');
  // The first 32 bits as a number, written in base 28, most significant symbol first.
  let n = Number.parseInt(fingerprintHex.slice(0, 8), 16);
  const base = VOUCHER_ALPHABET.length;
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) {
    code = VOUCHER_ALPHABET[n % base]! + code;
    n = Math.floor(n / base);
  }
  return code;
}

/** The hex SHA-256 of a public key's SPKI DER bytes (Web Crypto: the phone and the server alike). */
export async function keyFingerprint(spkiDer: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', spkiDer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
