// Finding subscribers from what a person types on the sign-in page, across tenants: the
// tenant is found from the subscriber, never chosen by the browser.
import { desc, inArray, isNotNull, sql } from 'drizzle-orm';
import { smsSettings, subscribers, type Executor } from '@kasi/db';
import { invalid } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { toE164 } from '../sms/phone-number.ts';

export interface FoundSubscriber {
  id: string;
  tenantId: string;
  username: string;
  phone: string | null;
  passwordEnc: string;
}

const columns = {
  id: subscribers.id,
  tenantId: subscribers.tenantId,
  username: subscribers.username,
  phone: subscribers.phone,
  passwordEnc: subscribers.passwordEnc,
};

/**
 * The E.164 forms a typed number can have: as written when international, else completed
 * with the server's and each tenant's SMS country code (a national 07… is only ever completed
 * with a code someone configured). Throws a field error when no form is possible.
 */
export async function phoneForms(app: AppContext, db: Executor, raw: string): Promise<string[]> {
  const codes = new Set<string | null>([app.sms?.countryCode ?? null]);
  const rows = await db
    .selectDistinct({ cc: smsSettings.countryCode })
    .from(smsSettings)
    .where(isNotNull(smsSettings.countryCode));
  for (const r of rows) codes.add(r.cc);
  const forms = new Set<string>();
  for (const cc of codes) {
    const e164 = toE164(raw, cc);
    if (e164) forms.add(e164);
  }
  if (forms.size === 0 || raw.length > 32) {
    throw invalid('OTP.BAD_PHONE', 'Enter the number with its country code, e.g. +254 712 345 678', {
      field: 'phone',
    });
  }
  return [...forms].sort();
}

/** Subscribers with one of these numbers, newest first (a closed account can still see and pay its last invoice). */
export async function subscribersByPhone(db: Executor, phones: string[]): Promise<FoundSubscriber[]> {
  return db
    .select(columns)
    .from(subscribers)
    .where(inArray(subscribers.phone, phones))
    .orderBy(desc(subscribers.createdAt))
    .limit(20);
}

/** Subscribers with this user name in any tenant (user names are unique per tenant only). */
export async function subscribersByUsername(db: Executor, username: string): Promise<FoundSubscriber[]> {
  return db
    .select(columns)
    .from(subscribers)
    .where(sql`lower(${subscribers.username}) = lower(${username})`)
    .limit(20);
}
