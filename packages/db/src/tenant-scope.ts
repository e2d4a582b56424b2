// Row-level security's half in the application (ADR 0019): which tenant the current request or
// job acts for. `withTenant(tenantId, fn)` puts it in an AsyncLocalStorage; the connection
// made by `connect()` then opens every transaction with
// `set_config('kasi.tenant_id', <id>, true)` (SET LOCAL: it ends with the transaction, so a
// pooled connection carries nothing to the next user), and runs a query outside any
// transaction inside a short one that sets it first. Without a scope nothing is set and every
// tenant table shows no rows to kasi_app / kasi_radiusd.
import { AsyncLocalStorage } from 'node:async_hooks';
import type postgres from 'postgres';
import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor } from './client.ts';
import { tenants } from './schema/tenant.table.ts';

export interface DbScope {
  /** The tenant every statement acts for. */
  tenantId: string | null;
  /** The signed-in operator: their own sessions, memberships and second factor in every tenant. */
  userId: string | null;
  /** Before the tenant is known: the SELECT-only `pre_tenant_lookup` policies apply too. */
  lookup: boolean;
}

const scopes = new AsyncLocalStorage<DbScope>();

/** Runs `fn` with every query on a scoped connection acting for `tenantId` (and the user, if given). */
export function withTenant<T>(tenantId: string, fn: () => T, opts: { userId?: string | null } = {}): T {
  return scopes.run({ tenantId, userId: opts.userId ?? null, lookup: false }, fn);
}

/** Runs `fn` with an explicit scope (the tRPC middleware). */
export function withScope<T>(scope: DbScope, fn: () => T): T {
  return scopes.run({ ...scope }, fn);
}

/**
 * Runs `fn` before the tenant is known (a session cookie, a login, a pay-link or webhook
 * token, a device key) — or, inside a tenant, where a rule must see a global account's rows
 * in other tenants: the tables with a `pre_tenant_lookup` policy may also be read (SELECT
 * only), nothing else. Once the row found names the tenant, write inside `withTenant`.
 */
export function withTenantLookup<T>(fn: () => T): T {
  const s = scopes.getStore();
  return scopes.run({ tenantId: s?.tenantId ?? null, userId: s?.userId ?? null, lookup: true }, fn);
}

/** Runs `fn` with no tenant: the tenant tables show nothing (tests of the wall use it). */
export function withoutTenant<T>(fn: () => T): T {
  return scopes.run({ tenantId: null, userId: null, lookup: false }, fn);
}

export function currentScope(): DbScope | undefined {
  return scopes.getStore();
}

export function currentTenantId(): string | null {
  return scopes.getStore()?.tenantId ?? null;
}

const SET_SCOPE = `select set_config('kasi.tenant_id', $1, true), set_config('kasi.user_id', $2, true),
  set_config('kasi.lookup', $3, true)`;

/**
 * The scope statement is prepared once per connection. Unprepared, postgres.js sends a statement
 * with parameters as Parse + Describe and waits for the answer before Bind + Execute: a second
 * round trip in every transaction, and in a lone statement it stalled the pipelined
 * BEGIN…COMMIT behind it.
 */
const PREPARED = { prepare: true } as const;

function scopeParams(s: DbScope): [string, string, string] {
  return [s.tenantId ?? '', s.userId ?? '', s.lookup ? 'on' : ''];
}

type Begin = postgres.Sql['begin'];

/**
 * Wraps a postgres.js client (the one Drizzle is given) so transactions and lone queries
 * carry the scope. Everything else — options, end, reserve, listen — is the client's own.
 */
export function tenantScopedClient(sql: postgres.Sql): postgres.Sql {
  const begin = ((...args: unknown[]) => {
    const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
    const s = scopes.getStore();
    if (!s) return (sql.begin as (...a: unknown[]) => unknown)(...args, fn);
    return (sql.begin as (...a: unknown[]) => unknown)(...args, async (tx: postgres.TransactionSql) => {
      await tx.unsafe(SET_SCOPE, scopeParams(s), PREPARED);
      return fn(tx);
    });
  }) as Begin;

  const unsafe = ((query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) => {
    const s = scopes.getStore();
    if (!s) return sql.unsafe(query, params as postgres.ParameterOrJSON<never>[], options);
    // A lone statement: BEGIN, the scope, the statement and COMMIT are pipelined on one
    // connection, so the wall costs one round trip, not three. If the statement fails, the
    // COMMIT of the aborted transaction rolls it back (PostgreSQL answers ROLLBACK).
    const run = async (values: boolean) => {
      const c = await sql.reserve();
      try {
        const statement = c.unsafe(query, params as postgres.ParameterOrJSON<never>[], options);
        const settled = await Promise.allSettled([
          c.unsafe('begin'),
          c.unsafe(SET_SCOPE, scopeParams(s), PREPARED),
          values ? statement.values() : statement,
          c.unsafe('commit'),
        ]);
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        return (settled[2] as PromiseFulfilledResult<unknown>).value;
      } finally {
        c.release();
      }
    };
    let once: Promise<unknown> | null = null;
    return {
      values: () => run(true),
      then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) =>
        (once ??= run(false)).then(ok, fail),
      catch: (fail?: (e: unknown) => unknown) => (once ??= run(false)).catch(fail),
    };
  }) as unknown as postgres.Sql['unsafe'];

  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'begin') return begin;
      if (prop === 'unsafe') return unsafe;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/**
 * BEGIN and the current scope (SET LOCAL) on a reserved connection, for a hot path that
 * pipelines its own transaction (the webhook inbox): returned unsent, to go out in one write
 * with the transaction's first statement. Refuses to run without a scope (`withTenant`).
 */
export function beginScoped(
  c: postgres.ReservedSql,
): [postgres.PendingQuery<postgres.Row[]>, postgres.PendingQuery<postgres.Row[]>] {
  const s = scopes.getStore();
  if (!s) throw new Error('beginScoped outside a scope (wrap it in withTenant)');
  return [c.unsafe('begin'), c.unsafe(SET_SCOPE, scopeParams(s), PREPARED)];
}

/**
 * `withTenantLookup` for a statement that may run inside an open transaction (whose scope was
 * set at BEGIN): there the lookup policies are switched on around `fn` with SET LOCAL.
 */
export async function lookupAcrossTenants<T>(db: Executor, fn: (db: Executor) => Promise<T>): Promise<T> {
  if (!is(db, PgTransaction)) return withTenantLookup(() => fn(db));
  await db.execute(sql`select set_config('kasi.lookup', 'on', true)`);
  try {
    return await fn(db);
  } finally {
    await db.execute(sql`select set_config('kasi.lookup', '', true)`);
  }
}

/**
 * Work over every tenant (retention, reconciliation): `fn` runs once per tenant, inside
 * `withTenant`, one after another. The tenants table itself has no tenant_id and no wall.
 */
export async function forEachTenant<T>(db: Executor, fn: (tenantId: string) => Promise<T>): Promise<T[]> {
  const rows = await db.select({ id: tenants.id }).from(tenants).orderBy(tenants.id);
  const out: T[] = [];
  for (const { id } of rows) out.push(await withTenant(id, () => fn(id)));
  return out;
}

/**
 * Inside a scope opened before the tenant was known (`withTenantLookup` around a whole HTTP
 * request): the session has named the tenant, so the rest of the request acts for it. Only
 * that request's scope object changes; statements already running keep what they began with.
 */
export function actForTenant(tenantId: string, userId: string | null = null): void {
  const s = scopes.getStore();
  if (!s) throw new Error('actForTenant outside a request scope (wrap the handler in withTenantLookup)');
  s.tenantId = tenantId;
  s.userId = userId;
  s.lookup = false;
}

/**
 * The transaction that just created a tenant acts for it from here on (SET LOCAL), and so does
 * the rest of the request when it runs in a mutable scope. Only for the code that inserts the
 * tenant row: everything else knows its tenant before it begins.
 */
export async function enterNewTenant(db: Executor, tenantId: string): Promise<void> {
  if (is(db, PgTransaction)) await db.execute(sql`select set_config('kasi.tenant_id', ${tenantId}, true)`);
  const s = scopes.getStore();
  if (s) {
    s.tenantId = tenantId;
    s.lookup = false;
  }
}
