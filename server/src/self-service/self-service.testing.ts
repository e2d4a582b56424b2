// Test factories for the subscriber's side: a billing tenant whose subscribers have phone
// numbers, and the one-time code read back from the SMS outbox row (as a phone would).
import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { otpChallenges, smsMessages, withTenant } from '@kasi/db';
import { billingWorld, type BillingWorld } from '../billing/billing.testing.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import type { TestApp } from '../testing/test-app.ts';

export interface SelfServiceWorld extends BillingWorld {
  /** A subscriber with this number (+E.164) and password `secret-pass-1`. */
  subscriberWithPhone(phone: string): Promise<{ id: string; username: string }>;
  /** The code in the newest OTP SMS to `phone`, or null when none was queued. */
  lastCode(phone: string): Promise<string | null>;
  /** Checks counted against the newest code to `phone`. */
  attempts(phone: string): Promise<number | null>;
}

let seq = 0;
/** A number no other test used: +2547 followed by 8 digits. */
export const freshPhone = () =>
  `+2547${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;

/** Over a new billing tenant, or over `base` (a payments world, say) when given. */
export async function selfServiceWorld<W extends BillingWorld = BillingWorld>(
  t: TestApp,
  base?: W,
): Promise<SelfServiceWorld & W> {
  const w = (base ?? (await billingWorld(t))) as W;
  const tenantId = w.actor.tenantId;
  return {
    ...w,
    async subscriberWithPhone(phone) {
      const username = `my-${randomBytes(4).toString('hex')}`;
      const s = await createSubscriber(t.app, w.actor, {
        username,
        password: 'secret-pass-1',
        planId: w.planId,
        phone,
      });
      return { id: s.id, username };
    },
    lastCode: (phone) =>
      withTenant(tenantId, async () => {
        const [row] = await t.app.db
          .select({ body: smsMessages.body })
          .from(smsMessages)
          .where(
            and(
              eq(smsMessages.tenantId, tenantId),
              eq(smsMessages.toNumber, phone),
              eq(smsMessages.event, 'otp'),
            ),
          )
          .orderBy(desc(smsMessages.createdAt))
          .limit(1);
        return row ? (/\b(\d{6})\b/.exec(row.body)?.[1] ?? null) : null;
      }),
    attempts: (phone) =>
      withTenant(tenantId, async () => {
        const [row] = await t.app.db
          .select({ attempts: otpChallenges.attempts })
          .from(otpChallenges)
          .where(and(eq(otpChallenges.tenantId, tenantId), eq(otpChallenges.phone, phone)))
          .orderBy(desc(otpChallenges.createdAt))
          .limit(1);
        return row?.attempts ?? null;
      }),
  };
}
