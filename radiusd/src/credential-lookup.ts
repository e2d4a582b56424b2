// Finds who is logging in: a voucher (user name = code) or a subscriber account, with its
// plan and open-session count, in one round trip each. The last state seen is remembered
// so known users can still log in while PostgreSQL is unreachable.
import { and, eq, sql } from 'drizzle-orm';
import {
  plans,
  radiusSessions,
  subscribers,
  vouchers,
  SECRET_PURPOSE,
  type Database,
  type Keyring,
} from '@kasi/db';
import { normalizeVoucherCode } from '@kasi/domain';
import { isDatabaseUnavailable } from './db-errors.ts';

type PlanRow = typeof plans.$inferSelect;

export type Credential =
  | { kind: 'voucher'; voucher: typeof vouchers.$inferSelect; plan: PlanRow; open: number; password: string }
  | {
      kind: 'subscriber';
      subscriber: typeof subscribers.$inferSelect;
      plan: PlanRow;
      open: number;
      password: string;
    };

export class OutageCache {
  readonly #entries = new Map<string, { credential: Credential; seenAt: number }>();
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;

  constructor(maxAgeMs: number, maxEntries = 200_000) {
    this.#maxAgeMs = maxAgeMs;
    this.#maxEntries = maxEntries;
  }

  remember(key: string, credential: Credential, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { credential, seenAt: now });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  recall(key: string, now: number): Credential | undefined {
    const e = this.#entries.get(key);
    return e && now - e.seenAt <= this.#maxAgeMs ? e.credential : undefined;
  }
}

const openSessions = (tenantId: string, userName: string) =>
  sql<number>`(select count(*) from ${radiusSessions} where ${radiusSessions.tenantId} = ${tenantId} and ${radiusSessions.userName} = ${userName} and ${radiusSessions.stoppedAt} is null)`.mapWith(
    Number,
  );

async function findVoucher(db: Database, tenantId: string, userName: string): Promise<Credential | null> {
  const code = normalizeVoucherCode(userName);
  const [row] = await db
    .select({ voucher: vouchers, plan: plans, open: openSessions(tenantId, userName) })
    .from(vouchers)
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .where(and(eq(vouchers.tenantId, tenantId), eq(vouchers.code, code)));
  return row ? { kind: 'voucher', ...row, password: code } : null;
}

async function findSubscriber(
  db: Database,
  keyring: Keyring,
  tenantId: string,
  userName: string,
): Promise<Credential | null> {
  const [row] = await db
    .select({ subscriber: subscribers, plan: plans, open: openSessions(tenantId, userName) })
    .from(subscribers)
    .innerJoin(plans, eq(plans.id, subscribers.planId))
    .where(and(eq(subscribers.tenantId, tenantId), sql`lower(${subscribers.username}) = lower(${userName})`));
  if (!row) return null;
  const password = await keyring.decrypt(
    db,
    tenantId,
    SECRET_PURPOSE.subscriberPassword,
    row.subscriber.passwordEnc,
  );
  return { kind: 'subscriber', ...row, password };
}

export interface LookupContext {
  db: Database;
  keyring: Keyring;
  cache?: OutageCache | undefined;
  now: Date;
}

export async function findCredential(
  ctx: LookupContext,
  tenantId: string,
  userName: string,
): Promise<{ credential: Credential | null; fromCache: boolean }> {
  const key = `${tenantId}|${userName.toLowerCase()}`;
  try {
    const credential =
      (await findVoucher(ctx.db, tenantId, userName)) ??
      (await findSubscriber(ctx.db, ctx.keyring, tenantId, userName));
    if (credential) ctx.cache?.remember(key, credential, ctx.now.getTime());
    return { credential, fromCache: false };
  } catch (e) {
    const cached = isDatabaseUnavailable(e) ? ctx.cache?.recall(key, ctx.now.getTime()) : undefined;
    if (!cached) throw e;
    return { credential: cached, fromCache: true };
  }
}
