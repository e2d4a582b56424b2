// One-time codes: six digits from the CSPRNG, stored as SHA-256 of `<challenge id>:<code>` so
// a copied table gives no usable code without a search, and a search is worth at most one
// 5-minute, single-use code. Compared in constant time.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;

export const newOtpCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const otpHash = (challengeId: string, code: string): string =>
  createHash('sha256').update(`${challengeId}:${code}`).digest('hex');

/** What people type: spaces and dashes dropped; anything but six digits never matches. */
export const cleanOtp = (code: string): string => code.replace(/[\s-]/g, '');

export function otpMatches(challengeId: string, storedHash: string, typed: string): boolean {
  const code = cleanOtp(typed);
  if (!/^\d{6}$/.test(code)) return false;
  return timingSafeEqual(Buffer.from(otpHash(challengeId, code), 'hex'), Buffer.from(storedHash, 'hex'));
}
