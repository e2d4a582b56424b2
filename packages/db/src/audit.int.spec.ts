import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { canonicalJson, deriveAuditMacKey, legacyHash, type AuditMacKey } from './audit-mac.ts';
import { withAuditChain, type AuditHead } from './audit-scope.ts';
import { verifyAuditChain, verifyAuditLog } from './audit-verify.ts';
import { masterKeyFromBytes } from './keyring.ts';
import { createTestDatabase } from './testing.ts';
import { auditLog, tenants } from './schema/index.ts';
import type { DbHandle } from './client.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
const key = deriveAuditMacKey(masterKeyFromBytes(randomBytes(32)));
/** Stands in for the head file: every head exported after commit, in order. */
const exported: AuditHead[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  withAuditChain(db.handle.db, {
    key,
    exportHeads: async (heads) => {
      exported.push(...heads);
    },
  });
});
afterAll(() => db.drop());

const headsOf = (tenantId: string) =>
  new Map(exported.filter((h) => h.tenantId === tenantId).map((h) => [h.seq, h.hash]));
const verify = (tenantId: string, keys: AuditMacKey[] = [key]) =>
  verifyAuditLog(db.handle.db, tenantId, { keys, heads: headsOf(tenantId) });

async function newTenant(): Promise<string> {
  const slug = `t-${randomBytes(4).toString('hex')}`;
  const [t] = await db.handle.db.insert(tenants).values({ name: slug, slug, currency: 'USD' }).returning();
  return t?.id ?? '';
}

const entry = (tenantId: string, i: number) => ({
  tenantId,
  actor: 'test',
  action: 'thing.do',
  entityType: 'thing',
  after: { i, big: 2n ** 60n },
});

/** A tenant with `n` rows, written one transaction each. */
async function tenantWithRows(n: number) {
  const tenantId = await newTenant();
  for (let i = 0; i < n; i++) await db.handle.db.transaction((tx) => writeAudit(tx, entry(tenantId, i)));
  const rows = await db.handle.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(asc(auditLog.seq));
  return { tenantId, rows };
}

/** What someone with write access but not the key can do: recompute every hash from a row on. */
async function recomputeFrom(tenantId: string, fromSeq: bigint, mac: (prev: string, body: string) => string) {
  const rows = await db.handle.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(asc(auditLog.seq));
  let prev = '0'.repeat(64);
  for (const r of rows) {
    if (r.seq >= fromSeq) {
      const hash = mac(prev, canonicalJson({ ...r, prevHash: prev, hash: undefined }));
      await db.handle.db.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.id, r.id));
      prev = hash;
    } else prev = r.hash;
  }
}

describe('audit chain', () => {
  it('chains rows written concurrently, numbers them 1..n and exports the head after commit', async () => {
    const tenantId = await newTenant();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.handle.db.transaction((tx) => writeAudit(tx, entry(tenantId, i))),
      ),
    );
    const verdict = await verify(tenantId);
    expect(verdict).toMatchObject({ intact: true, rows: 20, lastSeq: 20n, headSeq: 20n, firstBad: null });
    // Keys and heads default from the handle's chain (no heads: a database-only check).
    expect(await verifyAuditChain(db.handle.db, tenantId)).toBeNull();
  });

  it('chains a batch written in one call between concurrent single writes, across tenants', async () => {
    const ids = [await newTenant(), await newTenant()];
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
    for (const id of ids) expect((await verify(id)).firstBad).toBeNull();
    expect((await verify(ids[0] ?? '')).rows).toBe(600 + 4 * 15 + 5);
  });

  it('writes on the pool in a transaction of its own, and exports nothing for a rollback', async () => {
    const tenantId = await newTenant();
    await writeAudit(db.handle.db, entry(tenantId, 1));
    const before = exported.length;
    await expect(
      db.handle.db.transaction(async (tx) => {
        await writeAudit(tx, entry(tenantId, 2));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(exported.length).toBe(before);
    expect(await verify(tenantId)).toMatchObject({ intact: true, rows: 1, headSeq: 1n });
  });

  it('refuses to write without an audit key', async () => {
    const bare = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
    try {
      await expect(bare.handle.db.transaction((tx) => writeAudit(tx, entry('x', 1)))).rejects.toThrow(
        /no audit key/,
      );
    } finally {
      await bare.drop();
    }
  });
});

describe('audit chain tampering', () => {
  it('detects the newest rows deleted', async () => {
    const { tenantId } = await tenantWithRows(5);
    await db.handle.db.execute(sql`delete from audit_log where tenant_id = ${tenantId} and seq >= 4`);
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: null, seq: 4n, kind: 'truncated' });
  });

  it('detects a timestamp shifted by half a millisecond', async () => {
    const { tenantId, rows } = await tenantWithRows(4);
    await db.handle.db.execute(
      sql`update audit_log set at = at + interval '500 microseconds' where id = ${rows[2]?.id}`,
    );
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: rows[2]?.id, seq: 3n, kind: 'edited' });
  });

  it('detects an edited row whose chain was recomputed with plain SHA-256', async () => {
    const { tenantId, rows } = await tenantWithRows(4);
    await db.handle.db.execute(sql`update audit_log set after = '{"i": 999}' where id = ${rows[1]?.id}`);
    await recomputeFrom(tenantId, 2n, (prev, body) =>
      createHash('sha256').update(prev).update(body).digest('hex'),
    );
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: rows[1]?.id, kind: 'edited' });
  });

  it('detects a chain recomputed under another key', async () => {
    const { tenantId, rows } = await tenantWithRows(3);
    const other = deriveAuditMacKey(masterKeyFromBytes(randomBytes(32)));
    await db.handle.db.execute(sql`update audit_log set actor = 'mallory' where id = ${rows[0]?.id}`);
    // Even with the key id kept and a key of their own, the MACs cannot match ours.
    const { createHmac } = await import('node:crypto');
    await recomputeFrom(tenantId, 1n, (prev, body) =>
      createHmac('sha256', other.key)
        .update(prev + body)
        .digest('hex'),
    );
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: rows[0]?.id, seq: 1n, kind: 'edited' });
  });

  it('detects the whole chain rewritten as legacy rows through the exported head', async () => {
    const { tenantId, rows } = await tenantWithRows(3);
    await db.handle.db.execute(
      sql`update audit_log set mac_key_id = null, actor = 'mallory' where tenant_id = ${tenantId}`,
    );
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const hash = legacyHash(prev, { ...r, actor: 'mallory' });
      await db.handle.db.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.id, r.id));
      prev = hash;
    }
    // The database alone now looks like an intact legacy chain; the head outside it does not agree.
    expect(await verifyAuditChain(db.handle.db, tenantId)).toBeNull();
    // Each row was its own write batch, so the first head already disagrees.
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: rows[0]?.id, seq: 1n, kind: 'rewritten' });
  });

  it('detects a deleted middle row', async () => {
    const { tenantId, rows } = await tenantWithRows(4);
    await db.handle.db.delete(auditLog).where(eq(auditLog.id, rows[1]?.id ?? 0n));
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: rows[2]?.id, seq: 3n, kind: 'deleted' });
  });

  it('detects an edited column', async () => {
    const { tenantId, rows } = await tenantWithRows(3);
    await db.handle.db.execute(sql`update audit_log set entity_id = 'other' where id = ${rows[1]?.id}`);
    expect((await verify(tenantId)).firstBad).toMatchObject({ id: rows[1]?.id, kind: 'edited' });
  });

  it('detects a row renumbered by its id', async () => {
    const { tenantId, rows } = await tenantWithRows(2);
    await db.handle.db.execute(sql`update audit_log set id = id + 1000000 where id = ${rows[1]?.id}`);
    expect((await verify(tenantId)).firstBad).toMatchObject({ seq: 2n, kind: 'edited' });
  });

  it('names a row MACed under a master key that is not configured', async () => {
    const { tenantId, rows } = await tenantWithRows(2);
    const other = deriveAuditMacKey(masterKeyFromBytes(randomBytes(32)));
    expect((await verify(tenantId, [other])).firstBad).toMatchObject({
      id: rows[0]?.id,
      kind: 'unverifiable',
    });
    // A previous master key still verifies its rows during rotation.
    expect((await verify(tenantId, [other, key])).intact).toBe(true);
  });
});

describe('legacy rows (written before keyed MACs)', () => {
  /** Rows as the pre-0013 writer made them: unkeyed SHA-256, no key id. */
  async function legacyRows(tenantId: string, n: number) {
    let prev = '0'.repeat(64);
    for (let i = 1; i <= n; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      const body = {
        tenantId,
        actorUserId: null,
        actor: 'old',
        action: 'thing.old',
        entityType: 'thing',
        entityId: null,
        before: null,
        after: { i },
        requestId: null,
      };
      const hash = legacyHash(prev, { ...body, at });
      await db.handle.db.insert(auditLog).values({ ...body, seq: BigInt(i), at, prevHash: prev, hash });
      prev = hash;
    }
  }

  it('verifies a legacy prefix and chains keyed rows after it', async () => {
    const tenantId = await newTenant();
    await legacyRows(tenantId, 3);
    await writeAudit(db.handle.db, entry(tenantId, 4));
    expect(await verify(tenantId)).toMatchObject({ intact: true, rows: 4, legacyRows: 3 });
  });

  it('pins the legacy prefix: an edited legacy row with its hashes recomputed breaks the first keyed row', async () => {
    const tenantId = await newTenant();
    await legacyRows(tenantId, 3);
    await writeAudit(db.handle.db, entry(tenantId, 4));
    await db.handle.db.execute(
      sql`update audit_log set actor = 'mallory' where tenant_id = ${tenantId} and seq = 2`,
    );
    const rows = await db.handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.tenantId, tenantId))
      .orderBy(asc(auditLog.seq));
    let prev = '0'.repeat(64);
    for (const r of rows.slice(0, 3)) {
      const hash = legacyHash(prev, r);
      await db.handle.db.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.id, r.id));
      prev = hash;
    }
    expect((await verify(tenantId)).firstBad).toMatchObject({ seq: 4n, kind: 'deleted' });
  });
});
