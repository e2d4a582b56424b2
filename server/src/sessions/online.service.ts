// Who is online now, across every NAS that sends accounting to radiusd — hotspots and PPPoE
// behind routers Kasi manages over the API or not at all. Read from radius_sessions (open
// rows); a kick is the Disconnect-Request of session.service.ts, behind the console's
// confirmation.
import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { nas, radiusSessions, subscribers, vouchers } from '@kasi/db';
import { normalizeVoucherCode } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

export const onlineInput = z.object({
  nasId: z.uuid().optional(),
  kind: z.enum(['voucher', 'subscriber', 'other']).optional(),
  /** User name (a code or a subscriber) from its start, any case. */
  q: z.string().trim().max(64).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
  /** Keyset: the `id` of the last row of the previous page (newest first). */
  before: z.bigint().optional(),
});
export type OnlineInput = z.input<typeof onlineInput>;

const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** As typed, any case; or as a voucher code typed with dashes. */
function userNameStarts(q: string) {
  const code = normalizeVoucherCode(q);
  return or(
    sql`lower(${radiusSessions.userName}) like ${`${literal(q.toLowerCase())}%`}`,
    code !== q ? sql`${radiusSessions.userName} like ${`${literal(code)}%`}` : undefined,
  );
}

export function onlineConditions(actor: Actor, f: z.output<typeof onlineInput>) {
  return and(
    eq(radiusSessions.tenantId, actor.tenantId),
    isNull(radiusSessions.stoppedAt),
    f.nasId ? eq(radiusSessions.nasId, f.nasId) : undefined,
    f.kind === 'voucher' ? isNotNull(radiusSessions.voucherId) : undefined,
    f.kind === 'subscriber' ? isNotNull(radiusSessions.subscriberId) : undefined,
    f.kind === 'other'
      ? and(isNull(radiusSessions.voucherId), isNull(radiusSessions.subscriberId))
      : undefined,
    f.q ? userNameStarts(f.q) : undefined,
    f.before ? lt(radiusSessions.id, f.before) : undefined,
  );
}

export const onlineColumns = {
  id: radiusSessions.id,
  userName: radiusSessions.userName,
  nasId: radiusSessions.nasId,
  nasName: nas.name,
  mac: radiusSessions.callingStationId,
  framedIp: radiusSessions.framedIp,
  startedAt: radiusSessions.startedAt,
  lastUpdateAt: radiusSessions.lastUpdateAt,
  sessionTime: radiusSessions.sessionTime,
  inputOctets: radiusSessions.inputOctets,
  outputOctets: radiusSessions.outputOctets,
  voucherCode: vouchers.code,
  subscriberId: subscribers.id,
  subscriberName: subscribers.fullName,
};

/** Open sessions, newest first, one page; `nas` lists every NAS for the filter. */
export async function listOnline(app: AppContext, actor: Actor, input: OnlineInput = {}) {
  requirePermission(actor, 'session.read');
  const f = onlineInput.parse(input);
  const [rows, nasList, [total]] = await Promise.all([
    app.db
      .select(onlineColumns)
      .from(radiusSessions)
      .innerJoin(nas, eq(nas.id, radiusSessions.nasId))
      .leftJoin(vouchers, eq(vouchers.id, radiusSessions.voucherId))
      .leftJoin(subscribers, eq(subscribers.id, radiusSessions.subscriberId))
      .where(onlineConditions(actor, f))
      .orderBy(desc(radiusSessions.id))
      .limit(f.limit),
    app.db
      .select({ id: nas.id, name: nas.name })
      .from(nas)
      .where(eq(nas.tenantId, actor.tenantId))
      .orderBy(asc(nas.name)),
    app.db
      .select({ n: sql<number>`count(*)::int` })
      .from(radiusSessions)
      .where(onlineConditions(actor, { ...f, before: undefined })),
  ]);
  const last = rows.length === f.limit ? rows.at(-1) : undefined;
  return { rows, nas: nasList, total: total?.n ?? 0, nextBefore: last ? last.id : null };
}
