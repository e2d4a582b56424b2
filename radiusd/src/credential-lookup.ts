// Finds who is logging in: a voucher (user name = code) or a subscriber account, with its
// plan's limits and open-session count, in one round trip each. Only the columns the
// decision needs are read. The last state seen is remembered (OutageCache) so known users
// can still log in while PostgreSQL is unreachable.
import { and, eq, sql } from 'drizzle-orm';
import {
  plans,
  subscribers,
  vouchers,
  withTenant,
  SECRET_PURPOSE,
  type Database,
  type Keyring,
} from '@kasi/db';
import {
  normalizeVoucherCode,
  type CredentialStatus,
  type CredentialUsage,
  type PlanLimits,
} from '@kasi/domain';
import { isDatabaseUnavailable } from './db-errors.ts';
import type { OutageCache } from './outage-cache.ts';
import { PlanCache, planVersion } from './plan-cache.ts';

/** usedSeconds / usedOctets: closed sessions plus what the open ones used so far. */
export interface VoucherState extends CredentialUsage {
  id: string;
}

export interface SubscriberState {
  id: string;
  status: CredentialStatus;
  createdAt: Date;
  expiresAt: Date | null;
  macAddress: string | null;
  framedIp: string | null;
}

export type Credential =
  | { kind: 'voucher'; voucher: VoucherState; plan: PlanLimits; open: number; password: string }
  | { kind: 'subscriber'; subscriber: SubscriberState; plan: PlanLimits; open: number; password: string };

// Prepared once per database handle: the packet path runs no query builder.
const tenantParam = sql.placeholder('tenantId');
const userParam = sql.placeholder('userName');
// Open sessions are found by the voucher or account they were linked to at Start — however
// the code or user name was typed — through the partial indexes radius_sessions_open_voucher
// and radius_sessions_open_subscriber. A voucher's stored usage counts only closed sessions;
// what its open ones used so far is added here (see migration 0005).
const openOf = (link: 'voucher_id = vouchers.id' | 'subscriber_id = subscribers.id', expression: string) =>
  sql.raw(`(select ${expression} from radius_sessions o where o.${link} and o.stopped_at is null)`);
const openOfVoucher = (expression: string) => openOf('voucher_id = vouchers.id', expression);
const openVoucherSessions = sql<number>`${openOfVoucher('count(*)')}`.mapWith(Number);
const openSeconds = sql<number>`${openOfVoucher('coalesce(sum(o.session_time), 0)')}`.mapWith(Number);
const openOctets =
  sql<bigint>`${openOfVoucher('coalesce(sum(o.input_octets + o.output_octets), 0)')}`.mapWith(BigInt);
const openSubscriberSessions = sql<number>`${openOf('subscriber_id = subscribers.id', 'count(*)')}`.mapWith(
  Number,
);

function prepareQueries(db: Database) {
  return {
    voucher: db
      .select({
        id: vouchers.id,
        status: vouchers.status,
        locked: vouchers.locked,
        firstUsedAt: vouchers.firstUsedAt,
        expiresAt: vouchers.expiresAt,
        usedSeconds: vouchers.usedSeconds,
        usedOctets: vouchers.usedOctets,
        planId: vouchers.planId,
        planVersion,
        code: vouchers.code,
        open: openVoucherSessions,
        openSeconds,
        openOctets,
      })
      .from(vouchers)
      .innerJoin(plans, eq(plans.id, vouchers.planId))
      .where(
        and(eq(vouchers.tenantId, tenantParam), sql`${vouchers.code} = any(${sql.placeholder('codes')})`),
      )
      .prepare('kasi_find_vouchers'),
    subscriber: db
      .select({
        id: subscribers.id,
        status: subscribers.status,
        createdAt: subscribers.createdAt,
        expiresAt: subscribers.expiresAt,
        macAddress: subscribers.macAddress,
        framedIp: subscribers.framedIp,
        passwordEnc: subscribers.passwordEnc,
        planId: subscribers.planId,
        planVersion,
        open: openSubscriberSessions,
      })
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

type VoucherRow = Awaited<ReturnType<ReturnType<typeof queries>['voucher']['execute']>>[number];

interface Waiter {
  resolve: (row: VoucherRow | undefined) => void;
  reject: (e: unknown) => void;
}

/** Most codes looked up by one statement; a larger batch is split. */
const MAX_BATCH = 256;

/**
 * Voucher lookups that arrive in the same turn of the event loop — every datagram read in
 * one poll — share one statement (`code = any($2)`), sent once those datagrams have been
 * handled (setImmediate). Under load this turns dozens of round trips, socket writes and
 * statement executions into one; a lone login waits for nothing. Like group commit, but
 * for reads.
 */
export class VoucherLookups {
  readonly #db: Database;
  #pending = new Map<string, Map<string, Waiter[]>>();
  #scheduled = false;
  /** split: batches that failed and were retried one code at a time. */
  readonly stats = { lookups: 0, statements: 0, split: 0 };

  constructor(db: Database) {
    this.#db = db;
  }

  static for(db: Database): VoucherLookups {
    let l = lookups.get(db);
    if (!l) lookups.set(db, (l = new VoucherLookups(db)));
    return l;
  }

  find(tenantId: string, code: string): Promise<VoucherRow | undefined> {
    this.stats.lookups++;
    let codes = this.#pending.get(tenantId);
    if (!codes) this.#pending.set(tenantId, (codes = new Map()));
    return new Promise((resolve, reject) => {
      const waiting = codes.get(code);
      if (waiting) waiting.push({ resolve, reject });
      else codes.set(code, [{ resolve, reject }]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [tenantId, codes] of pending) {
      const all = [...codes.keys()];
      for (let i = 0; i < all.length; i += MAX_BATCH)
        void this.#run(tenantId, all.slice(i, i + MAX_BATCH), codes);
    }
  }

  async #run(tenantId: string, batch: string[], waiters: Map<string, Waiter[]>): Promise<void> {
    this.stats.statements++;
    try {
      // A batch is one tenant's: it runs under that tenant's row-level security (ADR 0019).
      const rows = await withTenant(tenantId, () =>
        queries(this.#db).voucher.execute({ tenantId, codes: batch }),
      );
      const found = new Map(rows.map((r) => [r.code, r]));
      for (const code of batch) for (const w of waiters.get(code) ?? []) w.resolve(found.get(code));
    } catch (e) {
      // One code the database refuses must not fail its neighbours: look each up on its own,
      // so only the lookups that fail alone fail. Not when the database is unreachable: every
      // login then takes the outage-cache path, and single statements would only queue up.
      if (batch.length > 1 && !isDatabaseUnavailable(e)) {
        this.stats.split++;
        await Promise.all(batch.map((code) => this.#run(tenantId, [code], waiters)));
        return;
      }
      for (const code of batch) for (const w of waiters.get(code) ?? []) w.reject(e);
    }
  }
}

const lookups = new WeakMap<Database, VoucherLookups>();

async function findVoucher(db: Database, tenantId: string, userName: string): Promise<Credential | null> {
  const code = normalizeVoucherCode(userName);
  const row = await VoucherLookups.for(db).find(tenantId, code);
  if (!row) return null;
  return {
    kind: 'voucher',
    voucher: {
      id: row.id,
      status: row.status,
      locked: row.locked,
      firstUsedAt: row.firstUsedAt,
      expiresAt: row.expiresAt,
      usedSeconds: row.usedSeconds + row.openSeconds,
      usedOctets: row.usedOctets + row.openOctets,
    },
    plan: await PlanCache.for(db).limits(row.planId, row.planVersion),
    open: row.open,
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
  const password = await keyring.decrypt(db, tenantId, SECRET_PURPOSE.subscriberPassword, row.passwordEnc);
  return {
    kind: 'subscriber',
    subscriber: {
      id: row.id,
      status: row.status,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      macAddress: row.macAddress,
      framedIp: row.framedIp,
    },
    plan: await PlanCache.for(db).limits(row.planId, row.planVersion),
    open: row.open,
    password,
  };
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
  try {
    const credential =
      (await findVoucher(ctx.db, tenantId, userName)) ??
      (await findSubscriber(ctx.db, ctx.keyring, tenantId, userName));
    if (credential) ctx.cache?.remember(tenantId, userName, credential, ctx.now.getTime());
    return { credential, fromCache: false };
  } catch (e) {
    const cached = isDatabaseUnavailable(e)
      ? ctx.cache?.recall(tenantId, userName, ctx.now.getTime())
      : undefined;
    if (!cached) throw e;
    return { credential: cached, fromCache: true };
  }
}
