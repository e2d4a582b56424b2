// Voucher codes: cryptographically random, from an alphabet without look-alike
// characters, ending in a check character so a mistyped code is caught before RADIUS.
// Uses Web Crypto so the same code runs in the server and in the agent PWA.
import { invalid } from './errors.ts';

/**
 * 28 symbols (4.8 bits each): one of each look-alike pair is left out (0/O, 1/I/L, 5/S, U/V, 2/Z).
 * The count must be even: Luhn mod N only catches every single-symbol error for even N.
 */
export const VOUCHER_ALPHABET = '23456789ABCDEFGHJKMNPQRTVWXY';
const N = VOUCHER_ALPHABET.length;
const INDEX = new Map([...VOUCHER_ALPHABET].map((c, i) => [c, i]));

export interface VoucherCodeFormat {
  /** Random symbols before the check character. */
  length: number;
  /** Optional fixed prefix, e.g. a site code; itself drawn from the alphabet. */
  prefix?: string;
}

export const MIN_CODE_LENGTH = 6;
export const MAX_CODE_LENGTH = 24;

/** Luhn mod N over the alphabet: catches every single-symbol error and most adjacent swaps. */
export function checkCharacter(body: string): string {
  const digits = [...body].map((c) => {
    const cp = INDEX.get(c);
    if (cp === undefined) throw invalid('VOUCHER.BAD_SYMBOL', `"${c}" is not a voucher symbol`);
    return cp;
  });
  return VOUCHER_ALPHABET[checkDigit(digits, digits.length)] ?? '';
}

/** The check symbol's index for the first `length` symbol indices of `digits`. */
function checkDigit(digits: ArrayLike<number>, length: number): number {
  let factor = 2;
  let sum = 0;
  for (let i = length - 1; i >= 0; i--) {
    const addend = factor * (digits[i] ?? 0);
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / N) + (addend % N);
  }
  return (N - (sum % N)) % N;
}

export function assertCodeFormat(format: VoucherCodeFormat): void {
  if (
    !Number.isInteger(format.length) ||
    format.length < MIN_CODE_LENGTH ||
    format.length > MAX_CODE_LENGTH
  ) {
    throw invalid('VOUCHER.BAD_LENGTH', `Code length must be ${MIN_CODE_LENGTH}–${MAX_CODE_LENGTH}`);
  }
  const prefix = format.prefix ?? '';
  if (prefix.length > 8 || [...prefix].some((c) => !INDEX.has(c))) {
    throw invalid('VOUCHER.BAD_PREFIX', `Prefix may hold up to 8 of ${VOUCHER_ALPHABET}`);
  }
}

/** Bytes at or above this are redrawn, so that `byte % N` makes every symbol equally likely. */
const ACCEPT_BELOW = 256 - (256 % N);
const SYMBOL_CHARS = Array.from(VOUCHER_ALPHABET, (c) => c.charCodeAt(0));

/** getRandomValues fills at most 65,536 bytes per call. */
function fillRandom(bytes: Uint8Array<ArrayBuffer>): void {
  for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
}

/**
 * Draws `count` distinct codes. Random bytes come from one buffer sized for the whole draw
 * (refilled only if rejections use it up); rejection sampling keeps every symbol equally likely.
 */
export function generateVoucherCodes(count: number, format: VoucherCodeFormat): string[] {
  assertCodeFormat(format);
  const prefix = format.prefix ?? '';
  const size = prefix.length + format.length;
  const digits = new Uint8Array(size + 1);
  digits.set([...prefix].map((c) => INDEX.get(c) ?? 0));
  // 252 of 256 bytes are accepted: 2 % spare covers the rejections without a refill, nearly always.
  const random = new Uint8Array(Math.min(1 << 20, Math.ceil(count * format.length * 1.02) + 64));
  fillRandom(random);
  let pos = 0;
  const chars: number[] = new Array<number>(size + 1);
  const out = new Set<string>();
  while (out.size < count) {
    for (let i = prefix.length; i < size; i++) {
      let b: number;
      do {
        if (pos === random.length) {
          fillRandom(random);
          pos = 0;
        }
        b = random[pos++] ?? 255;
      } while (b >= ACCEPT_BELOW);
      digits[i] = b % N;
    }
    digits[size] = checkDigit(digits, size);
    for (let i = 0; i <= size; i++) chars[i] = SYMBOL_CHARS[digits[i] ?? 0] ?? 0;
    out.add(String.fromCharCode(...chars));
  }
  return [...out];
}

/** What people type: lower case, spaces and dashes. Returns the canonical form. */
export function normalizeVoucherCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function isWellFormedVoucherCode(input: string): boolean {
  const code = normalizeVoucherCode(input);
  if (code.length < MIN_CODE_LENGTH + 1 || code.length > MAX_CODE_LENGTH + 9) return false;
  if ([...code].some((c) => !INDEX.has(c))) return false;
  return checkCharacter(code.slice(0, -1)) === code.slice(-1);
}

/** Groups a code for printing and reading aloud: "ABCD-EFGH-J". */
export function formatVoucherCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}
