// TOTP (RFC 6238) for operator sign-in: 30-second steps, one step of clock drift either way,
// and no replay — a code is accepted only for a time step later than the last one accepted.
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD_SECONDS = 30;
/** ±1 step: otplib's tolerance is in seconds, so one period either side. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
const ISSUER = 'Kasi';

/** A fresh base32 secret (20 random bytes, the size authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app scans (issuer "Kasi", label the email). */
export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret, period: TOTP_PERIOD_SECONDS });
}

export const timeStepAt = (epochSeconds: number) => Math.floor(epochSeconds / TOTP_PERIOD_SECONDS);

/**
 * The time step a code matches, or null when it is wrong, outside the window, or from a step
 * already used (`lastTimeStep`). The caller must still record the step atomically, since two
 * requests may check the same code at once.
 */
export async function matchTotp(opts: {
  secret: string;
  code: string;
  lastTimeStep: number | null;
  epochSeconds?: number;
}): Promise<number | null> {
  const code = opts.code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = opts.epochSeconds ?? Math.floor(Date.now() / 1000);
  // otplib refuses an afterTimeStep beyond the window; one at the window's end already refuses all.
  const newest = timeStepAt(epoch + TOLERANCE_SECONDS);
  const result = await verify({
    secret: opts.secret,
    token: code,
    period: TOTP_PERIOD_SECONDS,
    epoch,
    epochTolerance: TOLERANCE_SECONDS,
    ...(opts.lastTimeStep !== null && { afterTimeStep: Math.min(opts.lastTimeStep, newest) }),
  });
  // The functional verify is typed for HOTP too; a TOTP match carries its time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
