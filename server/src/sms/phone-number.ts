// Buyers' numbers arrive as agents type them (0712…, +254712…, 254712…); Twilio wants E.164.
// A national number is only completed with a configured country code: guessing could send
// someone's voucher code to a stranger.

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** The number as +E.164, or null when it cannot be known for sure. */
export function toE164(raw: string, countryCode: string | null): string | null {
  const n = raw.replace(/[\s().-]/g, '');
  let out: string | null = null;
  if (n.startsWith('+')) out = n;
  else if (n.startsWith('00')) out = `+${n.slice(2)}`;
  else if (countryCode && n.startsWith('0')) out = `+${countryCode}${n.slice(1)}`;
  else if (countryCode && /^[0-9]+$/.test(n))
    out = n.startsWith(countryCode) && n.length > 9 ? `+${n}` : `+${countryCode}${n}`;
  return out && E164.test(out) ? out : null;
}

/** Digits a masked number always hides, however short the number. */
const HIDDEN = 6;

/**
 * For logs and finished jobs: enough to tell numbers apart, not enough to text one. At most
 * the first five characters (+2547…) and the last two are kept, and never fewer than six
 * characters hidden, so a short national number keeps less of its start.
 */
export function maskPhone(phone: string): string {
  const start = Math.min(5, phone.length - 2 - HIDDEN);
  return start < 0 ? '…' : `${phone.slice(0, start)}…${phone.slice(-2)}`;
}

/** For logs and finished jobs: a voucher code is a bearer credential; two symbols identify it well enough. */
export function maskCode(code: string): string {
  return `${code.slice(0, 2)}…`;
}
