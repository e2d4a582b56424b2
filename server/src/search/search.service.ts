// Find anything: one box for a voucher code (dashes and case as people type them), a
// subscriber (user name, name, phone), a MAC (any separators) or a router (name, host).
// Every branch is an index lookup (migration 0021) bounded to a few rows, so a tenant with
// 100k codes answers as fast as one with ten; results come grouped by kind.
import { and, eq, ilike, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { plans, radiusSessions, routers, subscribers, vouchers } from '@kasi/db';
import { can, normalizeMac, normalizeVoucherCode } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

export const findInput = z.object({ q: z.string().trim().min(2, 'Type at least 2 characters').max(100) });
export type FindInput = z.input<typeof findInput>;

const PER_KIND = 8;

/** `like` wildcards typed by a person are literal characters here. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A MAC typed with any separators (or none): its 12 hex digits, upper case; null if not one. */
export function macDigits(q: string): string | null {
  const digits = normalizeMac(q);
  const onlyMacChars = /^[0-9a-f:\-.\s]+$/i.test(q);
  return onlyMacChars && digits.length === 12 ? digits.toUpperCase() : null;
}

/** Phone digits without the trunk 0 or a country code's plus: matched against the number's end. */
export function phoneTail(q: string): string | null {
  if (!/^[+\d\s().-]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 6 ? digits : null;
}

/** Codes a device used: its sessions' Calling-Station-Id through `radius_sessions_mac`. */
async function voucherIdsByMac(app: AppContext, actor: Actor, mac: string): Promise<string[]> {
  // No DISTINCT: with it PostgreSQL walks the voucher index in order instead of the MAC index.
  const rows = await app.db
    .select({ id: radiusSessions.voucherId })
    .from(radiusSessions)
    .where(
      and(
        eq(radiusSessions.tenantId, actor.tenantId),
        isNotNull(radiusSessions.callingStationId),
        sql`upper(regexp_replace(${radiusSessions.callingStationId}, '[^0-9A-Fa-f]', '', 'g')) = ${mac}`,
        isNotNull(radiusSessions.voucherId),
      ),
    )
    .limit(PER_KIND * 8);
  return [...new Set(rows.map((r) => r.id).filter((id): id is string => id !== null))];
}

/**
 * Two separate lookups, never one `OR`: PostgreSQL cannot use both indexes for
 * "prefix or in (sessions of this MAC)" and would read every code of the tenant.
 */
async function findCodes(app: AppContext, actor: Actor, q: string, mac: string | null) {
  const code = normalizeVoucherCode(q);
  const byCode = /^[A-Z0-9]{2,}$/.test(code) ? sql`${vouchers.code} like ${`${literal(code)}%`}` : null;
  const ids = mac ? await voucherIdsByMac(app, actor, mac) : [];
  const columns = {
    code: vouchers.code,
    channel: vouchers.channel,
    status: vouchers.status,
    planName: plans.name,
  };
  const lookup = (where: SQL) =>
    app.db
      .select(columns)
      .from(vouchers)
      .innerJoin(plans, eq(plans.id, vouchers.planId))
      .where(and(eq(vouchers.tenantId, actor.tenantId), where))
      .orderBy(vouchers.code)
      .limit(PER_KIND);
  const [prefixed, used] = await Promise.all([
    byCode ? lookup(byCode) : [],
    ids.length ? lookup(inArray(vouchers.id, ids)) : [],
  ]);
  const seen = new Set<string>();
  return [...used, ...prefixed].filter((c) => !seen.has(c.code) && seen.add(c.code)).slice(0, PER_KIND);
}

async function findSubscribers(app: AppContext, actor: Actor, q: string, mac: string | null) {
  const lower = `${literal(q.toLowerCase())}%`;
  const tail = phoneTail(q);
  const canonicalMac = mac?.match(/../g)?.join(':') ?? null;
  return app.db
    .select({
      id: subscribers.id,
      username: subscribers.username,
      fullName: subscribers.fullName,
      phone: subscribers.phone,
      macAddress: subscribers.macAddress,
      status: subscribers.status,
    })
    .from(subscribers)
    .where(
      and(
        eq(subscribers.tenantId, actor.tenantId),
        or(
          sql`lower(${subscribers.username}) like ${lower}`,
          sql`lower(${subscribers.fullName}) like ${lower}`,
          tail ? sql`reverse(${subscribers.phone}) like ${`${[...tail].reverse().join('')}%`}` : undefined,
          canonicalMac ? eq(subscribers.macAddress, canonicalMac) : undefined,
        ),
      ),
    )
    .orderBy(subscribers.username)
    .limit(PER_KIND);
}

/** Routers are a handful per tenant: a scan of the tenant's rows, anywhere in name or host. */
async function findRouters(app: AppContext, actor: Actor, q: string) {
  const anywhere = `%${literal(q)}%`;
  return app.db
    .select({ id: routers.id, name: routers.name, host: routers.host })
    .from(routers)
    .where(
      and(
        eq(routers.tenantId, actor.tenantId),
        or(ilike(routers.name, anywhere), ilike(routers.host, anywhere)),
      ),
    )
    .orderBy(routers.name)
    .limit(PER_KIND);
}

/** Each kind only for a role that may read it; agents (no voucher.read) never reach it. */
export async function findAnything(app: AppContext, actor: Actor, input: FindInput) {
  requirePermission(actor, 'voucher.read');
  const { q } = findInput.parse(input);
  const mac = macDigits(q);
  const [codes, subs, rts] = await Promise.all([
    findCodes(app, actor, q, mac),
    can(actor.role, 'subscriber.read') ? findSubscribers(app, actor, q, mac) : [],
    can(actor.role, 'router.read') ? findRouters(app, actor, q) : [],
  ]);
  return { q, codes, subscribers: subs, routers: rts };
}
