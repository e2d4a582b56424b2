// Device signing keys: the PWA makes a non-extractable ECDSA P-256 key pair with WebCrypto
// and enrols its public half. WebCrypto signs in IEEE P1363 form (r‖s, 64 bytes), not DER.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { devicePublicKey, invalid, type DevicePublicKey } from '@kasi/domain';

export interface ImportedKey {
  /** SPKI DER, base64: the one stored form whatever the device sent. */
  spki: string;
  fingerprint: string;
}

export function importDeviceKey(input: DevicePublicKey): ImportedKey {
  const key = devicePublicKey.parse(input);
  let k: KeyObject;
  try {
    k =
      typeof key === 'string'
        ? createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' })
        : createPublicKey({ key, format: 'jwk' });
  } catch {
    throw invalid('DEVICE.BAD_KEY', 'Not a readable public key');
  }
  if (k.asymmetricKeyType !== 'ec' || k.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalid('DEVICE.BAD_KEY', 'Device keys are ECDSA P-256');
  }
  const der = k.export({ type: 'spki', format: 'der' });
  return { spki: der.toString('base64'), fingerprint: createHash('sha256').update(der).digest('hex') };
}

// Parsed keys by SPKI: a push verifies many ops with the same key.
const parsed = new Map<string, KeyObject>();

function keyFor(spki: string): KeyObject {
  let k = parsed.get(spki);
  if (!k) {
    if (parsed.size > 1_000) parsed.clear();
    k = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    parsed.set(spki, k);
  }
  return k;
}

export function verifyDeviceSignature(spki: string, text: string, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  return verify(
    'sha256',
    Buffer.from(text, 'utf8'),
    { key: keyFor(spki), dsaEncoding: 'ieee-p1363' },
    signature,
  );
}

export const payloadHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
