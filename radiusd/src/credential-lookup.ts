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

// Prepared once per database handle: the packet path runs no query builder.
const tenantParam = sql.placeholder('tenantId');
const userParam = sql.placeholder('userName');
const openSessions =
  sql<number>`(select count(*) from ${radiusSessions} where ${radiusSessions.tenantId} = ${tenantParam} and ${radiusSessions.userName} = ${userParam} and ${radiusSessions.stoppedAt} is null)`.mapWith(
    Number,
  );

// A voucher's stored usage counts its closed sessions; what its open sessions used so far is
// added here (see migration 0005).
const openUsage = (column: string) =>
  sql.raw(
    `(select coalesce(sum(${column}), 0) from radius_sessions o where o.voucher_id = vouchers.id and o.stopped_at is null)`,
  );
const openSeconds = sql<number>`${openUsage('o.session_time')}`.mapWith(Number);
const openOctets = sql<bigint>`${openUsage('o.input_octets + o.output_octets')}`.mapWith(BigInt);

function prepareQueries(db: Database) {
  return {
    voucher: db
      .select({ voucher: vouchers, plan: plans, open: openSessions, openSeconds, openOctets })
      .from(vouchers)
      .innerJoin(plans, eq(plans.id, vouchers.planId))
      .where(and(eq(vouchers.tenantId, tenantParam), eq(vouchers.code, sql.placeholder('code'))))
      .prepare('kasi_find_voucher'),
    subscriber: db
      .select({ subscriber: subscribers, plan: plans, open: openSessions })
      .from(subscribers)
      .innerJoin(plans, eq(plans.id, subscribers.planId))
      .where(
        and(eq(subscribers.tenantId, tenantParam), sql`lower(${subscribers.username}) = lower(${userParam})`),
      )
      .prepare('kasi_find_subscriber'),
  };
}

const prepared = new WeakMap<Database, ReturnType<typeof prepareQueries>>();
function queries(db: Database) {
  let q = prepared.get(db);
  if (!q) prepared.set(db, (q = prepareQueries(db)));
  return q;
}

async function findVoucher(db: Database, tenantId: string, userName: string): Promise<Credential | null> {
  const code = normalizeVoucherCode(userName);
  const [row] = await queries(db).voucher.execute({ tenantId, userName, code });
  if (!row) return null;
  const { voucher, plan, open, openSeconds, openOctets } = row;
  return {
    kind: 'voucher',
    voucher: {
      ...voucher,
      usedSeconds: voucher.usedSeconds + openSeconds,
      usedOctets: voucher.usedOctets + openOctets,
    },
    plan,
    open,
    password: code,
  };
}

async function findSubscriber(
  db: Database,
  keyring: Keyring,
  tenantId: string,
  userName: string,
): Promise<Credential | null> {
  const [row] = await queries(db).subscriber.execute({ tenantId, userName });
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
