// Opens a pooled connection and the typed Drizzle handle. Importing ./schema alone never opens a pool.
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
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
