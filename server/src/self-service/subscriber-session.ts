// Subscriber sessions for /my: their own table and cookie (`kasi_my`, scoped to /api/my,
// SameSite=Strict), two hours at most, revocable (sign-out, a phone change, an operator),
// never an operator session: nothing under /trpc reads this cookie.
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import { subscriberSessions, subscribers, tenants, writeAudit, type Executor } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { hashToken, newToken, type ClientInfo } from '../auth/session-store.ts';

export const SUBSCRIBER_COOKIE = 'kasi_my';
export const SUBSCRIBER_SESSION_MS = 2 * 60 * 60_000;
export const SELF_SERVICE_PREFIX = '/api/my/';

export interface SubscriberSession {
  sessionId: string;
  tenantId: string;
  subscriberId: string;
  username: string;
  tenantName: string;
  currency: string;
  locale: string;
  timezone: string;
  method: 'otp' | 'password';
}

export async function openSubscriberSession(
  tx: Executor,
  who: { tenantId: string; subscriberId: string; username: string },
  client: ClientInfo,
  method: 'otp' | 'password',
): Promise<string> {
  const token = newToken();
  const [row] = await tx
    .insert(subscriberSessions)
    .values({
      tokenHash: hashToken(token),
      tenantId: who.tenantId,
      subscriberId: who.subscriberId,
      method,
      expiresAt: new Date(Date.now() + SUBSCRIBER_SESSION_MS),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    })
    .returning({ id: subscriberSessions.id });
  await writeAudit(tx, {
    tenantId: who.tenantId,
    actorUserId: null,
    actor: `subscriber:${who.username}`,
    action: 'subscriber.sign_in',
    entityType: 'subscriber',
    entityId: who.subscriberId,
    after: { method, ip: client.ip, sessionId: row?.id },
  });
  return token;
}

export async function findSubscriberSession(
  app: AppContext,
  token: string,
): Promise<SubscriberSession | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const [row] = await app.db
    .select({
      sessionId: subscriberSessions.id,
      tenantId: subscriberSessions.tenantId,
      subscriberId: subscriberSessions.subscriberId,
      method: subscriberSessions.method,
      username: subscribers.username,
      tenantName: tenants.name,
      currency: tenants.currency,
      locale: tenants.locale,
      timezone: tenants.timezone,
    })
    .from(subscriberSessions)
    .innerJoin(
      subscribers,
      and(
        eq(subscribers.id, subscriberSessions.subscriberId),
        eq(subscribers.tenantId, subscriberSessions.tenantId),
      ),
    )
    .innerJoin(tenants, eq(tenants.id, subscriberSessions.tenantId))
    .where(
      and(
        eq(subscriberSessions.tokenHash, hashToken(token)),
        isNull(subscriberSessions.revokedAt),
        gt(subscriberSessions.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

/** Sign-out: this session only. */
export async function revokeSubscriberSession(db: Executor, sessionId: string): Promise<void> {
  await db
    .update(subscriberSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(subscriberSessions.id, sessionId), isNull(subscriberSessions.revokedAt)));
}

/** Every other live session of a subscriber (after a phone change; an operator's reset). */
export async function revokeOtherSubscriberSessions(
  db: Executor,
  tenantId: string,
  subscriberId: string,
  keepSessionId: string | null,
): Promise<void> {
  await db
    .update(subscriberSessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(subscriberSessions.tenantId, tenantId),
        eq(subscriberSessions.subscriberId, subscriberId),
        isNull(subscriberSessions.revokedAt),
        keepSessionId ? ne(subscriberSessions.id, keepSessionId) : undefined,
      ),
    );
}

export function subscriberCookie(token: string, secure: boolean): string {
  const attrs = [
    `${SUBSCRIBER_COOKIE}=${token}`,
    'Path=/api/my',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${SUBSCRIBER_SESSION_MS / 1000}`,
  ];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

export const clearedSubscriberCookie = (secure: boolean) =>
  `${SUBSCRIBER_COOKIE}=; Path=/api/my; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
