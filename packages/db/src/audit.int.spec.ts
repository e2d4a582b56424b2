import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { verifyAuditChain, writeAudit } from './audit.ts';
import { createTestDatabase } from './testing.ts';
import { auditLog, tenants } from './schema/index.ts';
import type { DbHandle } from './client.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
});
afterAll(() => db.drop());

describe('audit chain', () => {
  it('chains rows written concurrently and detects an edited row', async () => {
    const [t] = await db.handle.db
      .insert(tenants)
      .values({ name: 'a', slug: 'a', currency: 'USD' })
      .returning();
    const tenantId = t?.id ?? '';
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.handle.db.transaction((tx) =>
          writeAudit(tx, {
            tenantId,
            actor: 'test',
            action: 'thing.do',
            entityType: 'thing',
            after: { i, big: 2n ** 60n },
          }),
        ),
      ),
    );
    expect(await verifyAuditChain(db.handle.db, tenantId)).toBeNull();
    const rows = await db.handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.tenantId, tenantId))
      .orderBy(auditLog.id);
    const victim = rows[7];
    await db.handle.db.execute(sql`update audit_log set after = '{"i": 999}' where id = ${victim?.id}`);
    expect(await verifyAuditChain(db.handle.db, tenantId)).toBe(victim?.id);
  });

  it('chains a batch written in one call between concurrent single writes, across tenants', async () => {
    const made = await db.handle.db
      .insert(tenants)
      .values([
        { name: 'b', slug: 'b', currency: 'USD' },
        { name: 'c', slug: 'c', currency: 'USD' },
      ])
      .returning();
    const ids = made.map((t) => t.id);
    const entry = (tenantId: string, i: number) => ({
      tenantId,
      actor: 'test',
      action: 'thing.batch',
      entityType: 'thing',
      after: { i },
    });
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        db.handle.db.transaction((tx) =>
          writeAudit(
            tx,
            // 1,200 rows for the first tenant: more than one insert statement.
            Array.from({ length: i === 0 ? 1_200 : 30 }, (_, k) => entry(ids[k % 2] ?? '', k)),
          ),
        ),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        db.handle.db.transaction((tx) => writeAudit(tx, entry(ids[0] ?? '', 10_000 + i))),
      ),
    ]);
    for (const id of ids) expect(await verifyAuditChain(db.handle.db, id)).toBeNull();
    const [{ n } = { n: 0 }] = await db.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.tenantId, ids[0] ?? ''));
    expect(n).toBe(600 + 4 * 15 + 5);
  });
});
