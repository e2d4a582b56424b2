// Recovery codes: ten single-use codes shown once at enrolment. Each carries 80 random bits,
// so a SHA-256 digest is enough to store them (no guessing attack can search 2^80 per code)
// and lets a submitted code be found by one indexed lookup rather than ten slow hash checks.
import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 (no I, L, O, U): 32 symbols, so 5 bits each and no bias from `byte % 32`. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;

/** `XXXX-XXXX-XXXX-XXXX`: 16 symbols, 80 bits. */
export function newRecoveryCode(): string {
  const symbols = [...randomBytes(LENGTH)].map((b) => ALPHABET[b % 32] ?? '');
  return symbols.join('').replace(/(.{4})(?=.)/g, '$1-');
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** People retype codes in lower case, with spaces or without dashes: all mean the same code. */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
}
