// Closes sessions whose NAS stopped sending interim updates (about 2.5 intervals), so a
// lost Stop never blocks a user's next login through the shared-user limit.
import { sql } from 'drizzle-orm';
import { forEachTenant, type Database } from '@kasi/db';

export const STALE_FACTOR = 2.5;
export const DEFAULT_INTERIM_SECONDS = 300;

export async function closeStaleSessions(db: Database, now = new Date()): Promise<number> {
  // Tenant by tenant: sessions are behind row-level security (ADR 0019).
  const closed = await forEachTenant(db, () => closeTenantStaleSessions(db, now));
  return closed.reduce((a, b) => a + b, 0);
}

async function closeTenantStaleSessions(db: Database, now: Date): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    update radius_sessions s
       set stopped_at = s.last_update_at, terminate_cause = 'Stale-Session'
      from radius_sessions o
      left join vouchers v on v.id = o.voucher_id
      left join plans p on p.id = v.plan_id
     where s.id = o.id
       and o.stopped_at is null
       and o.last_update_at < ${now.toISOString()}::timestamptz
           - make_interval(secs => ${STALE_FACTOR}::float8 * coalesce(p.interim_interval_seconds, ${DEFAULT_INTERIM_SECONDS}::int))
    returning s.id`);
  return rows.length;
}
