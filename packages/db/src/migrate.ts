// Applies the committed drizzle-kit migrations. Safe to run at every start:
// a PostgreSQL advisory lock keeps two processes from migrating at once.
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { DbHandle } from './client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
const LOCK_KEY = 4_227_001;

export async function runMigrations(handle: DbHandle): Promise<void> {
  const reserved = await handle.sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${LOCK_KEY})`;
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
    // Tables that migrations after 0024 add get RLS, the tenant policy and kasi_app's grants
    // here, and a test fails if one escaped (ADR 0019).
    const [secured] = await reserved<
      { f: string | null }[]
    >`select to_regproc('kasi_secure_tenant_tables') as f`;
    if (secured?.f) await reserved`select kasi_secure_tenant_tables()`;
  } finally {
    await reserved`select pg_advisory_unlock(${LOCK_KEY})`;
    reserved.release();
  }
}
