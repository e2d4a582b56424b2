// The PIN that opens the app offline. Only a salted PBKDF2 hash is stored, never the PIN.
// It is a screen lock against a borrowed or lost phone, not encryption: a short PIN falls
// to an offline search by anyone who can read the phone's storage, so wrong guesses are
// also slowed down here and the signing key stays non-extractable whatever happens.

export interface PinHash {
  salt: string;
  iterations: number;
  hash: string;
}

export const PIN_ITERATIONS = 150_000;
const FREE_ATTEMPTS = 5;

export const isValidPin = (pin: string) => /^[0-9]{4,8}$/.test(pin);

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export async function hashPin(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt: toBase64(salt), iterations, hash: toBase64(await derive(pin, salt, iterations)) };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const actual = await derive(pin, fromBase64(stored.salt), stored.iterations);
  const expected = fromBase64(stored.hash);
  // Compare every byte so the time taken does not tell how much of the PIN was right.
  let diff = actual.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (actual[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0;
}

/** How long to refuse PIN entry after `failures` wrong PINs in a row: 30 s, doubling, at most 15 min. */
export function pinLockoutMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(15 * 60_000, 30_000 * 2 ** (failures - FREE_ATTEMPTS));
}
