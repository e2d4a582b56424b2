// What a subscriber's page shows besides the account: live sessions (from accounting, any
// NAS), usage per day of the tenant's calendar, and the audit timeline of the account.
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { auditLog, nas, radiusSessions, tenants } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { getSubscriber } from './subscriber.service.ts';

export async function subscriberSessions(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'session.read');
  const { subscriber } = await getSubscriber(app, actor, id);
  return app.db
    .select({
      id: radiusSessions.id,
      nasName: nas.name,
      framedIp: radiusSessions.framedIp,
      callingStationId: radiusSessions.callingStationId,
      startedAt: radiusSessions.startedAt,
      lastUpdateAt: radiusSessions.lastUpdateAt,
      sessionTime: radiusSessions.sessionTime,
      downloadOctets: radiusSessions.outputOctets,
      uploadOctets: radiusSessions.inputOctets,
    })
    .from(radiusSessions)
    .innerJoin(nas, eq(nas.id, radiusSessions.nasId))
    .where(
      and(
        eq(radiusSessions.tenantId, actor.tenantId),
        isNull(radiusSessions.stoppedAt),
        or(
          eq(radiusSessions.subscriberId, id),
          sql`lower(${radiusSessions.userName}) = lower(${subscriber.username})`,
        ),
      ),
    )
    .orderBy(desc(radiusSessions.startedAt));
}

export interface UsageDay {
  /** YYYY-MM-DD in the tenant's time zone. */
  day: string;
  downloadOctets: bigint;
  uploadOctets: bigint;
}

/**
 * Octets per day for the last `days` days of the tenant's calendar, oldest first, every day
 * present. A session counts on the day it started (accounting keeps totals per session, not
 * per day). Download is Acct-Output-Octets: what the NAS sent to the subscriber.
 */
export async function subscriberUsage(
  app: AppContext,
  actor: Actor,
  id: string,
  days = 30,
): Promise<UsageDay[]> {
  requirePermission(actor, 'subscriber.read');
  await getSubscriber(app, actor, id);
  const rows = await app.db.execute<{ day: string; download: string; upload: string }>(sql`
    with tz as (select ${tenants.timezone} as zone from ${tenants} where ${tenants.id} = ${actor.tenantId}),
    days as (
      select generate_series((now() at time zone tz.zone)::date - ${days - 1}::int,
                             (now() at time zone tz.zone)::date, interval '1 day')::date as day
      from tz
    )
    select to_char(d.day, 'YYYY-MM-DD') as day,
           coalesce(sum(rs.output_octets), 0)::text as download,
           coalesce(sum(rs.input_octets), 0)::text as upload
    from days d cross join tz
    left join ${radiusSessions} rs
      on rs.tenant_id = ${actor.tenantId} and rs.subscriber_id = ${id}
     and (rs.started_at at time zone tz.zone)::date = d.day
    group by d.day order by d.day`);
  return [...rows].map((r) => ({
    day: r.day,
    downloadOctets: BigInt(r.download),
    uploadOctets: BigInt(r.upload),
  }));
}

/** Audit rows whose entity is this subscriber, newest first. */
export async function subscriberTimeline(app: AppContext, actor: Actor, id: string, limit = 100) {
  requirePermission(actor, 'subscriber.read');
  await getSubscriber(app, actor, id);
  return app.db
    .select({
      seq: auditLog.seq,
      at: auditLog.at,
      actor: auditLog.actor,
      action: auditLog.action,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, actor.tenantId),
        eq(auditLog.entityType, 'subscriber'),
        eq(auditLog.entityId, id),
      ),
    )
    .orderBy(desc(auditLog.seq))
    .limit(limit);
}
