// A software WebAuthn authenticator for tests: a P-256 key from WebCrypto, attestation "none",
// and authenticatorData / clientDataJSON / attestationObject built byte by byte as the WebAuthn
// spec lays them out (a small CBOR encoder for the parts that are CBOR). It answers what a real
// browser would send after navigator.credentials.create()/get(), and lets a test lie on purpose:
// another origin, another challenge, a chosen signature counter.
import { createHash, randomBytes, webcrypto } from 'node:crypto';

type Cbor = number | string | Uint8Array | CborMap | CborRecord;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a recursive alias needs an interface
interface CborMap extends Map<Cbor, Cbor> {}
interface CborRecord {
  [key: string]: Cbor;
}

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** Canonical enough for WebAuthn: small ints, negative ints, byte and text strings, maps. */
export function cbor(value: Cbor): Uint8Array {
  const out: number[] = [];
  const put = (v: Cbor): void => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new Error('integers only');
      out.push(...(v >= 0 ? head(0, v) : head(1, -1 - v)));
    } else if (typeof v === 'string') {
      const bytes = Buffer.from(v, 'utf8');
      out.push(...head(3, bytes.length), ...bytes);
    } else if (v instanceof Uint8Array) {
      out.push(...head(2, v.length), ...v);
    } else {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      out.push(...head(5, entries.length));
      for (const [k, val] of entries) {
        put(k);
        put(val);
      }
    }
  };
  put(value);
  return Uint8Array.from(out);
}

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const u32 = (n: number) =>
  Uint8Array.from([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** WebCrypto signs ECDSA as r‖s; WebAuthn carries it DER-encoded (SEQUENCE of two INTEGERs). */
export function rawSignatureToDer(raw: Uint8Array): Uint8Array {
  const int = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = bytes.slice(i);
    if ((v[0] ?? 0) & 0x80) v = concat(Uint8Array.from([0]), v);
    return concat(Uint8Array.from([0x02, v.length]), v);
  };
  const half = raw.length / 2;
  const body = concat(int(raw.slice(0, half)), int(raw.slice(half)));
  return concat(Uint8Array.from([0x30, body.length]), body);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface CeremonyOptions {
  /** clientDataJSON.origin (default: the relying party's real origin). */
  origin?: string;
  /** clientDataJSON.challenge (default: the one the server sent). */
  challenge?: string;
  /** The RP ID hashed into authenticatorData (default: the server's). */
  rpId?: string;
}

export class SoftwareAuthenticator {
  readonly credentialId = new Uint8Array(randomBytes(16));
  /** The signature counter the next assertion carries (a real authenticator adds 1 each time). */
  counter = 0;
  private keys: webcrypto.CryptoKeyPair | null = null;

  private readonly rp: { id: string; origin: string };
  private readonly opts: { uv?: boolean };

  constructor(rp: { id: string; origin: string }, opts: { uv?: boolean } = {}) {
    this.rp = rp;
    this.opts = opts;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private async keyPair(): Promise<webcrypto.CryptoKeyPair> {
    this.keys ??= (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    return this.keys;
  }

  private flags(extra = 0): Uint8Array {
    return Uint8Array.from([FLAG_UP | (this.opts.uv === false ? 0 : FLAG_UV) | extra]);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, o: CeremonyOptions) {
    return new Uint8Array(
      Buffer.from(
        JSON.stringify({
          type,
          challenge: o.challenge ?? challenge,
          origin: o.origin ?? this.rp.origin,
          crossOrigin: false,
        }),
      ),
    );
  }

  /** The answer to navigator.credentials.create({ publicKey: options }). */
  async register(options: { challenge: string }, o: CeremonyOptions = {}) {
    const { publicKey } = await this.keyPair();
    const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', publicKey)); // 0x04 ‖ x ‖ y
    const coseKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, raw.slice(1, 33)],
        [-3, raw.slice(33, 65)],
      ]),
    );
    const attested = concat(
      new Uint8Array(16), // AAGUID: none
      Uint8Array.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
      this.credentialId,
      coseKey,
    );
    const authData = concat(sha256(o.rpId ?? this.rp.id), this.flags(FLAG_AT), u32(this.counter), attested);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, o)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** The answer to navigator.credentials.get({ publicKey: options }), signed over the spec's bytes. */
  async assert(options: { challenge: string }, o: CeremonyOptions = {}) {
    const { privateKey } = await this.keyPair();
    const authData = concat(sha256(o.rpId ?? this.rp.id), this.flags(), u32(this.counter));
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o);
    const signed = concat(authData, sha256(clientDataJSON));
    const raw = new Uint8Array(
      await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, signed),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(rawSignatureToDer(raw)),
      },
    };
  }
}
