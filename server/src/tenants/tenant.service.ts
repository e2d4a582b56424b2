// Creating tenants and their people. Used by the CLI, first-run demo set-up and tests.
import { eq, sql } from 'drizzle-orm';
import { enterNewTenant, memberships, tenants, users, writeAudit, type Executor } from '@kasi/db';
import {
  assertCurrency,
  conflict,
  invalid,
  tenantSettingsInput,
  type Role,
  type TenantSettingsInput,
} from '@kasi/domain';
import type { TenantSettings } from '@kasi/db';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password.ts';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { checkLogo } from '../settings/brand-logo.ts';

export interface NewTenant {
  name: string;
  slug: string;
  currency: string;
}

export async function createTenant(db: Executor, input: NewTenant, actor = 'cli') {
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(input.slug)) {
    throw invalid('TENANT.BAD_SLUG', 'Slug: 2–41 lower-case letters, digits and dashes');
  }
  const [existing] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug));
  if (existing) throw conflict('TENANT.EXISTS', `A tenant "${input.slug}" already exists`);
  const [tenant] = await db
    .insert(tenants)
    .values({ name: input.name, slug: input.slug, currency: assertCurrency(input.currency) })
    .returning();
  if (!tenant) throw new Error('insert returned nothing');
  // Its rows are behind row-level security: this transaction now acts for it (ADR 0019).
  await enterNewTenant(db, tenant.id);
  await writeAudit(db, {
    tenantId: tenant.id,
    actor,
    action: 'tenant.create',
    entityType: 'tenant',
    entityId: tenant.id,
    after: tenant,
  });
  return tenant;
}

export interface NewMember {
  tenantId: string;
  email: string;
  name: string;
  password: string;
  role: Role;
}

export async function addMember(db: Executor, input: NewMember, actor = 'cli') {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('USER.WEAK_PASSWORD', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const email = input.email.trim().toLowerCase();
  let [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  user ??= (
    await db
      .insert(users)
      .values({ email, name: input.name, passwordHash: await hashPassword(input.password) })
      .returning()
  )[0];
  if (!user) throw new Error('insert returned nothing');
  const inserted = await db
    .insert(memberships)
    .values({ tenantId: input.tenantId, userId: user.id, role: input.role })
    .onConflictDoNothing()
    .returning();
  if (!inserted.length) throw conflict('USER.ALREADY_MEMBER', `${email} is already a member of this tenant`);
  await writeAudit(db, {
    tenantId: input.tenantId,
    actor,
    action: 'member.add',
    entityType: 'user',
    entityId: user.id,
    after: { email, role: input.role },
  });
  return { id: user.id, email, role: input.role };
}

/** Columns of `tenants` the settings form edits; the rest lives in `settings` (jsonb). */
const COLUMN_KEYS = ['name', 'timezone', 'locale', 'hotspotUrl', 'brandColour', 'logo'] as const;

export async function updateTenantSettings(app: AppContext, actor: Actor, input: TenantSettingsInput) {
  requirePermission(actor, 'tenant.manage');
  const patch = tenantSettingsInput.parse(input);
  // The file is the image it claims to be, and one the cards can print.
  if (patch.logo) await checkLogo(patch.logo);
  return app.db.transaction(async (tx) => {
    const [before] = await tx.select().from(tenants).where(eq(tenants.id, actor.tenantId)).for('update');
    if (!before) throw invalid('TENANT.NOT_FOUND', 'No such tenant');
    const columns: Partial<typeof tenants.$inferInsert> = {};
    const settings: TenantSettings = { ...before.settings };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if ((COLUMN_KEYS as readonly string[]).includes(key)) Object.assign(columns, { [key]: value });
      else if (value === null) delete settings[key as keyof TenantSettings];
      else Object.assign(settings, { [key]: value });
    }
    await tx
      .update(tenants)
      .set({ ...columns, settings })
      .where(eq(tenants.id, actor.tenantId));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'tenant.settings',
      entityType: 'tenant',
      entityId: actor.tenantId,
      before: { ...pick(before, columns), settings: before.settings },
      after: { ...columns, ...('logo' in columns && { logo: columns.logo ? 'set' : null }), settings },
    });
    return settings;
  });
}

/** The audit row keeps the fields that changed, the logo only as "set". */
function pick(row: typeof tenants.$inferSelect, changed: object) {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(changed)) out[k] = row[k as keyof typeof row];
  if ('logo' in out) out.logo = out.logo ? 'set' : null;
  return out;
}
