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
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const cp = INDEX.get(body[i] ?? '');
    if (cp === undefined) throw invalid('VOUCHER.BAD_SYMBOL', `"${body[i]}" is not a voucher symbol`);
    let addend = factor * cp;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return VOUCHER_ALPHABET[(N - (sum % N)) % N] ?? '';
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

/** Draws `count` distinct codes; rejection sampling keeps every symbol equally likely. */
export function generateVoucherCodes(count: number, format: VoucherCodeFormat): string[] {
  assertCodeFormat(format);
  const out = new Set<string>();
  const limit = 256 - (256 % N);
  // getRandomValues fills at most 65,536 bytes per call.
  const buf = new Uint8Array(Math.min(65_536, Math.max(64, format.length * 2 * count)));
  let pos = buf.length;
  const nextSymbol = (): string => {
    for (;;) {
      if (pos >= buf.length) {
        crypto.getRandomValues(buf);
        pos = 0;
      }
      const b = buf[pos++] ?? 255;
      if (b < limit) return VOUCHER_ALPHABET[b % N] ?? '';
    }
  };
  while (out.size < count) {
    let body = format.prefix ?? '';
    for (let i = 0; i < format.length; i++) body += nextSymbol();
    out.add(body + checkCharacter(body));
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
