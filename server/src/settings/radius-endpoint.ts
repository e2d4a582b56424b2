// Where routers must send RADIUS: the ports the running radiusd reported (radius_servers) and
// the address the tenant says its routers reach it at. Every change plan and help text uses
// this, never a hard-coded 1812/1813.
import { desc, eq, gt, sql } from 'drizzle-orm';
import { radiusServers, tenants, type Executor } from '@kasi/db';
import { notFound } from '@kasi/domain';

/** radiusd refreshes its row every minute; three missed refreshes and it counts as gone. */
export const RADIUSD_STALE_AFTER_S = 180;
export const DEFAULT_AUTH_PORT = 1812;
export const DEFAULT_ACCT_PORT = 1813;
/** MikroTik's /radius/incoming port for CoA and Disconnect (radiusd sends, the router listens). */
export const COA_PORT = 3799;

export interface RadiusEndpoint {
  /** The address routers send to; null until the tenant sets it (or radiusd binds one address). */
  address: string | null;
  authPort: number;
  acctPort: number;
  coaPort: number;
  /** Whether a radiusd reported itself in the last few minutes (false: the ports are defaults). */
  running: boolean;
  /** When the reporting radiusd started and last refreshed its row. */
  startedAt: Date | null;
  seenAt: Date | null;
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);
const isLoopback = (a: string) => a.startsWith('127.') || a === '::1' || a === 'localhost';

/** The most recently seen live radiusd, or none. */
export async function runningRadiusd(db: Executor) {
  const [row] = await db
    .select()
    .from(radiusServers)
    .where(gt(radiusServers.seenAt, sql`now() - make_interval(secs => ${RADIUSD_STALE_AFTER_S})`))
    .orderBy(desc(radiusServers.seenAt))
    .limit(1);
  return row ?? null;
}

export async function radiusEndpoint(db: Executor, tenantId: string): Promise<RadiusEndpoint> {
  const [tenant] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  const live = await runningRadiusd(db);
  const bound = live && !ANY_ADDRESS.has(live.host) && !isLoopback(live.host) ? live.host : null;
  return {
    address: tenant.settings.radiusAddress ?? bound,
    authPort: live?.authPort ?? DEFAULT_AUTH_PORT,
    acctPort: live?.acctPort ?? DEFAULT_ACCT_PORT,
    coaPort: COA_PORT,
    running: live !== null,
    startedAt: live?.startedAt ?? null,
    seenAt: live?.seenAt ?? null,
  };
}
