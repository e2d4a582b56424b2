// This phone's signing key. The private half is made non-extractable: script on the page
// can ask WebCrypto to sign with it but can never read it out, so a copied database cannot
// be used to forge sales from another phone.
import { canonicalSaleText, type StoredOp, type UnsignedOp } from './sale-op.ts';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function createDeviceKey(): Promise<{ keyPair: CryptoKeyPair; publicJwk: JsonWebKey }> {
  const keyPair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  return { keyPair, publicJwk: await crypto.subtle.exportKey('jwk', keyPair.publicKey) };
}

/** The JWK fields the server's enrolment accepts (x and y are base64url, 43 characters). */
export function publicKeyInput(jwk: JsonWebKey) {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('not a P-256 public key');
  return { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x, y: jwk.y };
}

/** WebCrypto's ECDSA signature is already IEEE P1363 (r‖s, 64 bytes), which the server verifies. */
export async function signOp(privateKey: CryptoKey, deviceId: string, op: UnsignedOp): Promise<StoredOp> {
  const text = new TextEncoder().encode(canonicalSaleText(deviceId, op));
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, text);
  return { ...op, signature: btoa(String.fromCharCode(...new Uint8Array(signature))) };
}
