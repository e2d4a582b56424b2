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
});
