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

export const PIN_RULE = '4 to 8 digits. Not 1234, 0000 or the like.';

/** PINs a thief tries first: one digit repeated, a run up or down (1234, 9876), or a pair repeated. */
function guessable(pin: string): boolean {
  const d = [...pin].map(Number);
  const steps = d.slice(1).map((x, i) => x - (d[i] ?? 0));
  if (steps.every((s) => s === 0) || steps.every((s) => s === 1) || steps.every((s) => s === -1)) return true;
  return pin.length % 2 === 0 && pin === pin.slice(0, 2).repeat(pin.length / 2);
}

/** Why a PIN being chosen will not do, in the agent's words; null when it will. */
export function newPinProblem(pin: string): string | null {
  if (!isValidPin(pin))
    return /\D/.test(pin)
      ? 'Use digits only, 4 to 8 of them.'
      : `Use 4 to 8 digits (this one has ${pin.length}).`;
  if (guessable(pin)) return 'Too easy to guess: avoid runs like 1234 and repeats like 0000 or 1212.';
  return null;
}

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
