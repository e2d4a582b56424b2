// Opens a pooled connection and the typed Drizzle handle. Importing ./schema alone never opens a pool.
import postgres from 'postgres';
import type { SQL } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { PgDialect } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';
import { tenantScopedClient } from './tenant-scope.ts';

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the pool or a transaction: data-access functions accept both. */
export type Executor = Database | Transaction;

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export interface ConnectOptions {
  max?: number;
  /** Label shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * The role every connection acts as (`kasi_app`, `kasi_radiusd`), set in the startup packet:
   * it is the session's default, so `RESET ROLE` comes back to it (ADR 0019).
   */
  role?: string;
}

/** The roles of migration 0024: neither owns a table nor bypasses row-level security. */
export const APP_ROLE = 'kasi_app';
export const RADIUSD_ROLE = 'kasi_radiusd';

export function connect(url: string, options: ConnectOptions = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    connection: {
      application_name: options.applicationName ?? 'kasi',
      ...(options.role ? { role: options.role } : {}),
    },
    types: { bigint: postgres.BigInt },
  });
  // Transactions and lone statements carry the tenant of withTenant (tenant-scope.ts).
  const db = drizzle({ client: tenantScopedClient(sql), schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** The postgres.js client under a Drizzle handle: the pool (scoped, tenant-scope.ts) or a transaction's. */
export function rawClient(db: Executor): postgres.Sql {
  return (db as unknown as { session: { client: postgres.Sql } }).session.client;
}

/**
 * Runs a statement prepared once per connection: for hot statements of constant text only
 * (every distinct text stays prepared on each connection until it closes). Drizzle runs a
 * statement without a name unprepared, and postgres.js then sends one with parameters as
 * Parse + Describe and waits for the answer before Bind + Execute — two round trips each time.
 */
export async function executePrepared<Row extends Record<string, unknown>>(
  db: Executor,
  query: SQL,
): Promise<Row[]> {
  const q = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query);
  return rawClient(db).unsafe<Row[]>(q.sql, q.params as postgres.ParameterOrJSON<never>[], { prepare: true });
}
