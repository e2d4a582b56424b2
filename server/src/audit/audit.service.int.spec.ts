// The audit check an owner runs (console page, `pnpm kasi audit:verify`) against each way
// someone with write access to the database could tamper with the trail.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { auditLog } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { checkAuditChain } from './audit.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const plan = {
  name: 'Daily',
  downloadBps: 10_000_000,
  uploadBps: 2_000_000,
  validitySeconds: 86_400,
  priceMinor: 5000n,
  currency: 'KES',
};

/** A tenant whose trail has a few rows written through the real services. */
async function tenantWithTrail(plans = 4) {
  const { actor } = await t.newTenant();
  for (let i = 0; i < plans; i++) await createPlan(t.app, actor, { ...plan, name: `Plan ${i}` });
  const rows = await t.app.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.tenantId, actor.tenantId))
    .orderBy(asc(auditLog.id));
  return { actor, rows };
}

const check = (actor: Actor) => checkAuditChain(t.app, actor);

/** The attacker's recompute: the unkeyed SHA-256 chain, over the row as the old writer hashed it. */
async function recomputeWithSha256(tenantId: string) {
  const rows = await t.app.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(asc(auditLog.id));
  const sorted = (v: unknown): unknown =>
    typeof v === 'bigint'
      ? v.toString()
      : Array.isArray(v)
        ? v.map(sorted)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
            )
          : (v ?? null);
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const body = {
      tenantId: r.tenantId,
      actorUserId: r.actorUserId,
      actor: r.actor,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      requestId: r.requestId,
      at: r.at.toISOString(),
    };
    const hash = createHash('sha256')
      .update(prev)
      .update(JSON.stringify(sorted(body)))
      .digest('hex');
    await t.app.db.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.id, r.id));
    prev = hash;
  }
}

describe('audit check', () => {
  it('says intact for an untouched trail, with its head exported outside the database', async () => {
    const { actor, rows } = await tenantWithTrail();
    const result = await check(actor);
    expect(result.intact).toBe(true);
    expect(result).toMatchObject({ rows: rows.length, headSeq: BigInt(rows.length), headFileFound: true });
    const lines = (await readFile(t.app.audit.headFile, 'utf8')).trim().split('\n');
    const mine = lines.map(
      (l) => JSON.parse(l) as { heads: { tenantId: string; seq: string; hash: string }[] },
    );
    const last = mine
      .flatMap((l) => l.heads)
      .filter((h) => h.tenantId === actor.tenantId)
      .at(-1);
    expect(last).toEqual({ tenantId: actor.tenantId, seq: String(rows.length), hash: rows.at(-1)?.hash });
  });

  it('detects the newest rows deleted', async () => {
    const { actor, rows } = await tenantWithTrail();
    await t.app.db.execute(sql`delete from audit_log where id >= ${rows.at(-2)?.id}`);
    const result = await check(actor);
    expect(result.intact).toBe(false);
    expect(result.firstBad).toMatchObject({ id: null, kind: 'truncated', seq: BigInt(rows.length - 1) });
  });

  it('detects a timestamp shifted by half a millisecond', async () => {
    const { actor, rows } = await tenantWithTrail();
    await t.app.db.execute(
      sql`update audit_log set at = at + interval '500 microseconds' where id = ${rows[1]?.id}`,
    );
    const result = await check(actor);
    expect(result.intact).toBe(false);
    expect(result.firstBad).toMatchObject({ id: rows[1]?.id, kind: 'edited' });
  });

  it('detects an edited row with the chain recomputed with SHA-256', async () => {
    const { actor, rows } = await tenantWithTrail();
    await t.app.db.execute(sql`update audit_log set after = '{"priceMinor": "1"}' where id = ${rows[2]?.id}`);
    await recomputeWithSha256(actor.tenantId);
    const result = await check(actor);
    expect(result.intact).toBe(false);
    expect(result.firstBad).toMatchObject({ id: rows[0]?.id, kind: 'edited' });
  });

  it('detects a deleted middle row', async () => {
    const { actor, rows } = await tenantWithTrail();
    await t.app.db.delete(auditLog).where(eq(auditLog.id, rows[2]?.id ?? 0n));
    const result = await check(actor);
    expect(result.intact).toBe(false);
    expect(result.firstBad).toMatchObject({ id: rows[3]?.id, kind: 'deleted' });
  });

  it('detects an edited column', async () => {
    const { actor, rows } = await tenantWithTrail();
    await t.app.db.execute(sql`update audit_log set action = 'plan.view' where id = ${rows[2]?.id}`);
    const result = await check(actor);
    expect(result.intact).toBe(false);
    expect(result.firstBad).toMatchObject({ id: rows[2]?.id, kind: 'edited' });
  });

  it('one tenant’s tampering does not show in another’s check', async () => {
    const a = await tenantWithTrail(1);
    const b = await tenantWithTrail(1);
    await t.app.db.execute(sql`update audit_log set actor = 'x' where tenant_id = ${a.actor.tenantId}`);
    expect((await check(b.actor)).intact).toBe(true);
  });

  it('is for owners and admins only', async () => {
    const { actor } = await tenantWithTrail(0);
    for (const role of ['operator', 'viewer', 'agent'] as const)
      await expect(check({ ...actor, role })).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    expect((await check({ ...actor, role: 'admin' })).intact).toBe(true);
  });
});
