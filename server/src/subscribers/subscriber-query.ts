// The subscriber list: search and filters shared by the console list, the CLI and the CSV
// export. "Router" is the NAS that last sent accounting for the account (any NAS, not only
// API-managed routers). The overdue filter belongs to billing and joins its balance there.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { billingSettings, invoices, nas, plans, radiusSessions, subscribers, tenants } from '@kasi/db';
import { subscriberFilter, subscriberListInput, type SubscriberFilter } from '@kasi/domain';
import type { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { publicColumns } from './subscriber-columns.ts';

const lastSession = sql`(select rs.nas_id from ${radiusSessions} rs
  where rs.subscriber_id = ${subscribers.id} order by rs.started_at desc limit 1)`;

/**
 * An open or partly paid invoice of the account whose due date is before today, both days of
 * the billing calendar (the billing time zone, else the tenant's): the dashboard's overdue rule.
 */
const overdue = (tenantId: string) => sql`exists (
  select 1 from ${invoices} i
  where i.tenant_id = ${tenantId} and i.subscriber_id = ${subscribers.id}
    and i.kind = 'invoice' and i.status in ('open', 'partially_paid') and i.allocated_minor < i.total_minor
    and (i.due_at at time zone z.tz)::date < (now() at time zone z.tz)::date)`;

const billingZone = (tenantId: string) => sql`(select coalesce(bs.timezone, t.timezone) as tz
  from ${tenants} t left join ${billingSettings} bs on bs.tenant_id = t.id where t.id = ${tenantId}) z`;

/** `%`, `_` and `\` typed by a person are literal characters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function subscriberWhere(actor: Actor, f: z.output<typeof subscriberFilter>): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(subscribers.tenantId, actor.tenantId)];
  if (f.search) {
    const p = likePattern(f.search);
    conditions.push(
      sql`(${subscribers.username} ilike ${p} or ${subscribers.fullName} ilike ${p}
        or ${subscribers.phone} ilike ${p} or ${subscribers.email} ilike ${p})`,
    );
  }
  if (f.status) conditions.push(eq(subscribers.status, f.status));
  if (f.planId) conditions.push(eq(subscribers.planId, f.planId));
  if (f.tag) conditions.push(sql`${subscribers.tags} @> array[${f.tag}]::text[]`);
  if (f.nasId) conditions.push(sql`${lastSession} = ${f.nasId}`);
  if (f.overdue === true) {
    conditions.push(
      sql`exists (select 1 from ${billingZone(actor.tenantId)} where ${overdue(actor.tenantId)})`,
    );
  } else if (f.overdue === false) {
    conditions.push(
      sql`not exists (select 1 from ${billingZone(actor.tenantId)} where ${overdue(actor.tenantId)})`,
    );
  }
  return and(...conditions);
}

const listColumns = {
  subscriber: publicColumns,
  planName: plans.name,
  routerName: sql<string | null>`(select n.name from ${nas} n where n.id = ${lastSession})`,
  online: sql<boolean>`exists (select 1 from ${radiusSessions} rs
    where rs.subscriber_id = ${subscribers.id} and rs.stopped_at is null)`,
};

export async function listSubscribers(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof subscriberListInput> = {},
) {
  requirePermission(actor, 'subscriber.read');
  const { limit, offset, ...filter } = subscriberListInput.parse(input);
  const where = subscriberWhere(actor, filter);
  const [rows, [count]] = await Promise.all([
    app.db
      .select(listColumns)
      .from(subscribers)
      .innerJoin(plans, eq(plans.id, subscribers.planId))
      .where(where)
      .orderBy(asc(sql`lower(${subscribers.username}) collate "C"`))
      .limit(limit)
      .offset(offset),
    app.db
      .select({ n: sql<number>`count(*)::int` })
      .from(subscribers)
      .where(where),
  ]);
  return { rows, total: count?.n ?? 0, limit, offset };
}

/** Every matching account (no paging), for the CSV export and the CLI. */
export async function allSubscribers(app: AppContext, actor: Actor, filter: SubscriberFilter = {}) {
  requirePermission(actor, 'subscriber.read');
  return app.db
    .select(listColumns)
    .from(subscribers)
    .innerJoin(plans, eq(plans.id, subscribers.planId))
    .where(subscriberWhere(actor, subscriberFilter.parse(filter)))
    .orderBy(asc(sql`lower(${subscribers.username}) collate "C"`));
}
