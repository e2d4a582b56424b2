// The tenant's settings as the console shows them: the business, its branding, where routers
// send RADIUS, and what the actor may change (so refused controls show disabled with why).
import { eq } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { can, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { DEFAULT_SMS_RETENTION_DAYS } from '../sms/sms-retention.job.ts';
import { radiusEndpoint } from './radius-endpoint.ts';

export async function readTenantSettings(app: AppContext, actor: Actor) {
  requirePermission(actor, 'dashboard.read');
  const [t] = await app.db.select().from(tenants).where(eq(tenants.id, actor.tenantId));
  if (!t) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  return {
    name: t.name,
    slug: t.slug,
    currency: t.currency,
    timezone: t.timezone,
    locale: t.locale,
    hotspotUrl: t.hotspotUrl,
    /** What cards and SMS use when the tenant set none (KASI_HOTSPOT_URL). */
    defaultHotspotUrl: app.sms?.hotspotUrl ?? null,
    brandColour: t.brandColour,
    logo: t.logo,
    twoPersonApproval: t.settings.twoPersonApproval ?? false,
    accountingRetentionMonths: t.settings.accountingRetentionMonths ?? 12,
    smsRetentionDays: t.settings.smsRetentionDays ?? DEFAULT_SMS_RETENTION_DAYS,
    requireTwoFactorForAdmins: t.settings.requireTwoFactorForAdmins ?? false,
    radiusAddress: t.settings.radiusAddress ?? null,
    canManage: can(actor.role, 'tenant.manage'),
  };
}

export async function readRadiusEndpoint(app: AppContext, actor: Actor) {
  requirePermission(actor, 'router.read');
  return radiusEndpoint(app.db, actor.tenantId);
}
