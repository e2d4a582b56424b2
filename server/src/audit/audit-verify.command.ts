// `pnpm kasi audit:verify [--tenant <id or slug>]`: checks every tenant's audit chain (or one)
// and exits non-zero (65, data error) when any is not intact.
import { eq } from 'drizzle-orm';
import { tenants, withTenant } from '@kasi/db';
import { invalid, notFound } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import type { Command } from '../cli/commands.ts';
import { checkAuditChain, type AuditCheck } from './audit.service.ts';
import { describeAuditCheck } from './audit-report.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function tenantsToCheck(app: AppContext, wanted: string | undefined) {
  const all = app.db.select({ id: tenants.id, slug: tenants.slug }).from(tenants);
  if (wanted === undefined) return all.orderBy(tenants.slug);
  const found = await all.where(UUID.test(wanted) ? eq(tenants.id, wanted) : eq(tenants.slug, wanted));
  if (found.length === 0) throw notFound('TENANT.NOT_FOUND', `No tenant "${wanted}"`);
  return found;
}

export const auditVerifyCommand: Command = {
  summary: 'Prove the audit log: recompute each tenant’s keyed chain and compare it with the exported heads',
  usage: '[--tenant <id or slug>]',
  options: { tenant: { type: 'string' } },
  run: async (app, a) => {
    const wanted = typeof a.tenant === 'string' && a.tenant ? a.tenant : undefined;
    const results: { tenant: string; check: AuditCheck }[] = [];
    for (const t of await tenantsToCheck(app, wanted)) {
      const actor = { tenantId: t.id, userId: null, label: 'cli', role: 'owner', requestId: null } as const;
      // Each tenant's chain is behind row-level security (ADR 0019).
      results.push({ tenant: t.slug, check: await withTenant(t.id, () => checkAuditChain(app, actor)) });
    }
    const broken = results.filter((r) => !r.check.intact);
    if (broken.length > 0)
      throw invalid('AUDIT.TAMPERED', broken.map((r) => describeAuditCheck(r.tenant, r.check)).join('\n'));
    return results;
  },
  describe: (r) =>
    (r as { tenant: string; check: AuditCheck }[])
      .map((x) => describeAuditCheck(x.tenant, x.check))
      .join('\n') || 'No tenants.',
};
