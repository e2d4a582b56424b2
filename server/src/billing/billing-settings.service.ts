// Tenant billing settings: one row per tenant, created on first save; until then the
// defaults apply. The time zone defaults to the tenant's own, the currency is the tenant's.
import { eq } from 'drizzle-orm';
import { billingSettings, tenants, writeAudit, type Executor } from '@kasi/db';
import {
  billingSettingsPatch,
  invalid,
  notFound,
  type BillingSettingsPatch,
  type BillingSettingsValues,
  type TaxRateSetting,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { scheduleBillingRun } from './billing-jobs.ts';

export interface BillingSettings extends BillingSettingsValues {
  /** The time zone in force: the setting, else the tenant's. */
  effectiveTimezone: string;
  currency: string;
}

const DEFAULTS: BillingSettingsValues = {
  timezone: null,
  billingDay: null,
  issueDaysBeforeDue: 7,
  dueDays: 0,
  graceDays: 3,
  taxRates: [],
  defaultTaxRateId: null,
  invoicePrefix: 'INV-',
  creditNotePrefix: 'CN-',
  receiptPrefix: 'RCT-',
  legalName: null,
  legalAddress: null,
  taxId: null,
  approvalThresholdMinor: null,
};

export async function loadBillingSettings(db: Executor, tenantId: string): Promise<BillingSettings> {
  const [tenant] = await db
    .select({ timezone: tenants.timezone, currency: tenants.currency })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  const [row] = await db.select().from(billingSettings).where(eq(billingSettings.tenantId, tenantId));
  const values: BillingSettingsValues = row
    ? {
        timezone: row.timezone,
        billingDay: row.billingDay,
        issueDaysBeforeDue: row.issueDaysBeforeDue,
        dueDays: row.dueDays,
        graceDays: row.graceDays,
        taxRates: row.taxRates,
        defaultTaxRateId: row.defaultTaxRateId,
        invoicePrefix: row.invoicePrefix,
        creditNotePrefix: row.creditNotePrefix,
        receiptPrefix: row.receiptPrefix,
        legalName: row.legalName,
        legalAddress: row.legalAddress,
        taxId: row.taxId,
        approvalThresholdMinor: row.approvalThresholdMinor,
      }
    : DEFAULTS;
  return { ...values, effectiveTimezone: values.timezone ?? tenant.timezone, currency: tenant.currency };
}

/** The tax rate a line names, or none; an unknown id is refused, naming the field. */
export function findTaxRate(
  settings: BillingSettingsValues,
  id: string | null,
  field = 'taxRateId',
): TaxRateSetting | null {
  if (id === null) return null;
  const rate = settings.taxRates.find((r) => r.id === id);
  if (!rate) throw invalid('BILLING.UNKNOWN_TAX_RATE', `No tax rate "${id}"`, { field });
  return rate;
}

export async function getBillingSettings(app: AppContext, actor: Actor): Promise<BillingSettings> {
  requirePermission(actor, 'billing.read');
  return loadBillingSettings(app.db, actor.tenantId);
}

export async function updateBillingSettings(
  app: AppContext,
  actor: Actor,
  patch: BillingSettingsPatch,
): Promise<BillingSettings> {
  requirePermission(actor, 'billing.write');
  const values = billingSettingsPatch.parse(patch);
  return app.db.transaction(async (tx) => {
    const before = await loadBillingSettings(tx, actor.tenantId);
    const next = { ...before, ...values };
    if (next.defaultTaxRateId !== null) findTaxRate(next, next.defaultTaxRateId, 'defaultTaxRateId');
    const { effectiveTimezone: _tz, currency: _c, ...row } = next;
    await tx
      .insert(billingSettings)
      .values({ ...row, tenantId: actor.tenantId })
      .onConflictDoUpdate({ target: billingSettings.tenantId, set: { ...row, updatedAt: new Date() } });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'billing.settings',
      entityType: 'tenant',
      entityId: actor.tenantId,
      before,
      after: next,
    });
    // The daily run follows the time zone: moved in the same transaction.
    await scheduleBillingRun(app, tx, actor.tenantId);
    return loadBillingSettings(tx, actor.tenantId);
  });
}
