// Limits on asking for and checking one-time codes, counted in PostgreSQL before anything is
// sent or compared (the login throttle's conditional upsert: concurrent requests cannot all
// pass). A number gets a code at most once a minute and 3 times in 15 minutes; an address
// asks at most 10 times in 15 minutes. The same keys apply whether or not the number is a
// subscriber's, so the answer tells nothing.
import type { Database } from '@kasi/db';
import { isDomainError, rateLimited } from '@kasi/domain';
import { addressGroup } from '../auth/address-group.ts';
import { claimLoginAttempt, type ThrottleKey } from '../auth/login-throttle.ts';

export const RESEND_GAP_MS = 60_000;
const WINDOW_MS = 15 * 60_000;

async function claim(db: Database, keys: ThrottleKey[], windowMs: number, message: string) {
  try {
    await claimLoginAttempt(db, keys, windowMs);
  } catch (e) {
    if (isDomainError(e) && e.kind === 'rate_limited') throw rateLimited('OTP.THROTTLED', message, e.details);
    throw e;
  }
}

/** Before a code is sent to `phone` (E.164) for a request from `ip`. */
export async function claimOtpSend(db: Database, purpose: string, phone: string, ip: string): Promise<void> {
  const message = 'A code was sent recently. Wait before asking for another.';
  await claim(db, [{ key: `otp-gap:${purpose}:${phone}`, max: 1 }], RESEND_GAP_MS, message);
  await claim(
    db,
    [
      { key: `otp-send:${purpose}:${phone}`, max: 3 },
      { key: `otp-send-ip:${addressGroup(ip)}`, max: 10 },
    ],
    WINDOW_MS,
    message,
  );
}

/** Before a typed code is compared: an address cannot try codes across many numbers. */
export async function claimOtpCheck(db: Database, ip: string): Promise<void> {
  await claim(
    db,
    [{ key: `otp-check-ip:${addressGroup(ip)}`, max: 30 }],
    WINDOW_MS,
    'Too many codes tried. Try again later.',
  );
}
