// Every row a tenant owns, read straight from PostgreSQL: each table with a tenant_id column
// (found in the catalog, so a new table is covered without touching this file), the tenant
// row and its members' user rows. Two snapshots compare equal when nothing of theirs changed.
import { sql } from 'drizzle-orm';
import type { Database } from '@kasi/db';

export type TenantSnapshot = Record<string, string[]>;

const json = (row: unknown) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

export async function tenantTables(db: Database): Promise<string[]> {
  const rows = await db.execute<{ table_name: string }>(sql`
    select c.table_name from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.column_name = 'tenant_id' and c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name`);
  return rows.map((r) => r.table_name);
}

export async function snapshotTenant(db: Database, tenantId: string): Promise<TenantSnapshot> {
  const out: TenantSnapshot = {};
  for (const table of await tenantTables(db)) {
    const rows = await db.execute(
      sql`select * from ${sql.identifier(table)} where tenant_id = ${tenantId} order by 1`,
    );
    out[table] = rows.map(json).sort();
  }
  out.tenants = (await db.execute(sql`select * from tenants where id = ${tenantId}`)).map(json);
  out.users = (
    await db.execute(sql`
      select u.* from users u join memberships m on m.user_id = u.id
      where m.tenant_id = ${tenantId} order by u.id`)
  ).map(json);
  return out;
}

export interface TableChange {
  table: string;
  /** Rows only in the later snapshot: new, or the new version of an edited row. */
  added: string[];
  /** Rows only in the earlier snapshot: deleted, or the old version of an edited row. */
  removed: string[];
}

export function rowChanges(before: TenantSnapshot, after: TenantSnapshot): TableChange[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: TableChange[] = [];
  for (const table of tables) {
    const a = new Set(before[table] ?? []);
    const b = new Set(after[table] ?? []);
    const added = [...b].filter((r) => !a.has(r));
    const removed = [...a].filter((r) => !b.has(r));
    if (added.length || removed.length) changes.push({ table, added, removed });
  }
  return changes;
}

/** Tables whose rows differ between two snapshots, with how many rows came and went. */
export function changedTables(before: TenantSnapshot, after: TenantSnapshot): string[] {
  return rowChanges(before, after).map((c) => `${c.table} (+${c.added.length} −${c.removed.length})`);
}

/** Ids and codes that identify the tenant's rows: uuids in its snapshot plus extra strings. */
export function fingerprints(snapshot: TenantSnapshot, extra: string[]): Set<string> {
  const found = new Set(extra);
  for (const rows of Object.values(snapshot))
    for (const row of rows)
      for (const m of row.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g))
        found.add(m[0]);
  return found;
}
