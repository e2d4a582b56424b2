// Row-level security, the second wall (ADR 0019): every table with a tenant_id is walled, the
// server's and radiusd's roles cannot get around it, and a query that forgets its tenant
// filter sees only the scoped tenant's rows — or none without a scope.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { APP_ROLE, connect, RADIUSD_ROLE, type DbHandle } from './client.ts';
import { createTestDatabase } from './testing.ts';
import { plans, tenants, vouchers, voucherBatches } from './schema/index.ts';
import { withTenant, withTenantLookup, withoutTenant } from './tenant-scope.ts';

let owner: { url: string; handle: DbHandle; drop(): Promise<void> };
let app: DbHandle;
let radiusd: DbHandle;
let tenantA = '';
let tenantB = '';

async function seedTenant(slug: string): Promise<string> {
  const [t] = await owner.handle.db.insert(tenants).values({ name: slug, slug, currency: 'KES' }).returning();
  const tenantId = t!.id;
  const [plan] = await owner.handle.db
    .insert(plans)
    .values({
      tenantId,
      name: `${slug} plan`,
      downloadBps: 1e6,
      uploadBps: 1e6,
      priceMinor: 100n,
      currency: 'KES',
    })
    .returning();
  const [batch] = await owner.handle.db
    .insert(voucherBatches)
    .values({ tenantId, planId: plan!.id, name: `${slug} batch`, quantity: 2, codeLength: 5 })
    .returning();
  await owner.handle.db.insert(vouchers).values(
    [1, 2].map(
      (i) =>
        ({
          tenantId,
          batchId: batch!.id,
          planId: plan!.id,
          code: `${slug.toUpperCase()}${i}`,
        }) as typeof vouchers.$inferInsert,
    ),
  );
  return tenantId;
}

/** The PostgreSQL error under Drizzle's "Failed query" wrapper. */
async function pgError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause;
    return cause?.message ?? (e as Error).message;
  }
  return 'no error';
}

beforeAll(async () => {
  owner = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  app = connect(owner.url, { max: 2, role: APP_ROLE });
  radiusd = connect(owner.url, { max: 2, role: RADIUSD_ROLE });
  tenantA = await seedTenant('rlsa');
  tenantB = await seedTenant('rlsb');
});
afterAll(async () => {
  await app?.close();
  await radiusd?.close();
  await owner?.drop();
});

describe('every table with a tenant_id is walled', () => {
  it('has RLS enabled and forced and the tenant policy, found by enumerating the catalogue', async () => {
    const rows = await owner.handle.sql<
      { table: string; rls: boolean; forced: boolean; policy: string | null }[]
    >`
      select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select pg_get_expr(p.polqual, p.polrelid) from pg_policy p
               where p.polrelid = c.oid and p.polname = 'tenant_isolation' and p.polcmd = '*') as policy
        from information_schema.columns col
        join pg_class c on c.relname = col.table_name
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = col.table_schema
       where col.column_name = 'tenant_id' and col.table_schema = 'public' and c.relkind in ('r', 'p')
       order by 1`;
    // The schema has dozens of tenant tables; a catalogue query that found none would prove nothing.
    expect(rows.length).toBeGreaterThan(30);
    const unwalled = rows.filter(
      (r) =>
        !r.rls ||
        !r.forced ||
        !r.policy?.includes("current_setting('kasi.tenant_id'::text, true)") ||
        !r.policy.includes('tenant_id'),
    );
    expect(unwalled.map((r) => r.table)).toEqual([]);
  });

  it('lets views read with the caller’s rights, so the wall holds through them', async () => {
    const views = await owner.handle.sql<{ name: string; options: string[] | null }[]>`
      select c.relname as name, c.reloptions as options from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind = 'v'`;
    expect(views.filter((v) => !v.options?.includes('security_invoker=true')).map((v) => v.name)).toEqual([]);
  });
});

describe('the roles', () => {
  it('neither owns a table nor may bypass RLS', async () => {
    const roles = await owner.handle.sql<{ rolname: string; rolbypassrls: boolean; rolsuper: boolean }[]>`
      select rolname, rolbypassrls, rolsuper from pg_roles where rolname in (${APP_ROLE}, ${RADIUSD_ROLE})`;
    expect(roles).toHaveLength(2);
    expect(roles.every((r) => !r.rolbypassrls && !r.rolsuper)).toBe(true);
    const owned = await owner.handle.sql<{ n: number }[]>`
      select count(*)::int as n from pg_class where relowner in
        (select oid from pg_roles where rolname in (${APP_ROLE}, ${RADIUSD_ROLE}))`;
    expect(owned[0]?.n).toBe(0);
  });

  it('connect with the role as the session default: RESET ROLE comes back to it', async () => {
    const [r] = await app.sql<{ user: string }[]>`select current_user as user`;
    expect(r?.user).toBe(APP_ROLE);
    const reserved = await app.sql.reserve();
    try {
      await reserved`reset role`;
      const [after] = await reserved<{ user: string }[]>`select current_user as user`;
      expect(after?.user).toBe(APP_ROLE);
    } finally {
      reserved.release();
    }
  });

  it('cannot alter, disable RLS on or drop a tenant table', async () => {
    await expect(app.sql`alter table vouchers disable row level security`).rejects.toThrow(/owner/);
    await expect(app.sql`alter table vouchers no force row level security`).rejects.toThrow(/owner/);
    await expect(app.sql`drop policy tenant_isolation on vouchers`).rejects.toThrow(/owner/);
    await expect(app.sql`drop table vouchers`).rejects.toThrow(/owner/);
    await expect(radiusd.sql`alter table vouchers disable row level security`).rejects.toThrow(/owner/);
  });

  it('radiusd’s role gets only what it reads and writes', async () => {
    expect(await pgError(withTenant(tenantA, () => radiusd.db.select().from(voucherBatches)))).toMatch(
      /permission denied/,
    );
    await expect(radiusd.sql`select count(*) from invoices`).rejects.toThrow(/permission denied/);
    await expect(radiusd.sql`select count(*) from users`).rejects.toThrow(/permission denied/);
    await expect(radiusd.sql`select count(*) from audit_log`).rejects.toThrow(/permission denied/);
    expect(
      await pgError(
        withTenant(tenantA, () => radiusd.db.delete(vouchers).where(eq(vouchers.tenantId, tenantA))),
      ),
    ).toMatch(/permission denied/);
  });
});

describe('what the roles insert', () => {
  it('can take ids: every sequence behind a column of a table a role inserts into is usable by it', async () => {
    const missing = await owner.handle.sql<{ role: string; table: string; sequence: string }[]>`
      select r.rolname as role, c.relname as table, s.relname as sequence
        from pg_roles r
        cross join pg_class c
        join pg_depend d on d.refobjid = c.oid and d.deptype in ('a', 'i')
        join pg_class s on s.oid = d.objid and s.relkind = 'S'
       where r.rolname in (${APP_ROLE}, ${RADIUSD_ROLE})
         and c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
         and has_table_privilege(r.oid, c.oid, 'INSERT')
         and not has_sequence_privilege(r.oid, s.oid, 'USAGE')`;
    expect(missing).toEqual([]);
    // radiusd writes accounting: the check above must have had something to check.
    const [row] = await owner.handle.sql<{ ok: boolean }[]>`
      select has_table_privilege(${RADIUSD_ROLE}, 'radius_sessions', 'INSERT') as ok`;
    expect(row?.ok).toBe(true);
  });
});

describe('a query that forgets its tenant filter', () => {
  // Deliberately no `where tenant_id = …`: the bug the wall exists for.
  const allCodes = (h: DbHandle) =>
    h.db
      .select({ code: vouchers.code })
      .from(vouchers)
      .then((rows) => rows.map((r) => r.code).sort());

  it('returns nothing without a tenant', async () => {
    expect(await allCodes(app)).toEqual([]);
    expect(await withoutTenant(() => allCodes(app))).toEqual([]);
    expect(await withTenantLookup(() => allCodes(app))).toEqual([]);
    expect(await allCodes(radiusd)).toEqual([]);
  });

  it('returns only the scoped tenant’s rows, alone and in a transaction', async () => {
    expect(await withTenant(tenantA, () => allCodes(app))).toEqual(['RLSA1', 'RLSA2']);
    expect(await withTenant(tenantB, () => allCodes(radiusd))).toEqual(['RLSB1', 'RLSB2']);
    const inTx = await withTenant(tenantB, () =>
      app.db.transaction(async (tx) => {
        const rows = await tx.select({ code: vouchers.code }).from(vouchers);
        const nested = await tx.transaction((sp) =>
          sp.select({ n: sql<number>`count(*)::int` }).from(vouchers),
        );
        return { codes: rows.map((r) => r.code).sort(), nested: nested[0]?.n };
      }),
    );
    expect(inTx).toEqual({ codes: ['RLSB1', 'RLSB2'], nested: 2 });
    // The owner (a superuser in tests) is not the wall's subject; the roles are.
    expect((await allCodes(owner.handle)).length).toBeGreaterThanOrEqual(4);
  });

  it('cannot write a row into another tenant, nor change one it cannot see', async () => {
    await expect(
      withTenant(tenantA, () =>
        app.db.update(vouchers).set({ locked: true }).where(eq(vouchers.code, 'RLSB1')).returning(),
      ),
    ).resolves.toEqual([]);
    const [batchB] = await owner.handle.db
      .select()
      .from(voucherBatches)
      .where(eq(voucherBatches.tenantId, tenantB));
    expect(
      await pgError(
        withTenant(tenantA, () =>
          app.db.insert(vouchers).values({
            tenantId: tenantB,
            batchId: batchB!.id,
            planId: batchB!.planId,
            code: 'SMUGGLED',
          } as typeof vouchers.$inferInsert),
        ),
      ),
    ).toMatch(/row-level security/);
  });

  it('leaves nothing behind on a pooled connection once the transaction ends', async () => {
    await withTenant(tenantA, () => allCodes(app));
    const [r] = await app.sql<{ t: string | null }[]>`select current_setting('kasi.tenant_id', true) as t`;
    expect(r?.t ?? '').toBe('');
  });
});
