import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { radiusSessions, type DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import { recordAccounting } from './accounting.ts';
import { closeStaleSessions } from './stale-sessions.ts';
import { Keyring, masterKeyFromBytes } from '@kasi/db';
import { randomBytes } from 'node:crypto';
import { login, testNas } from './testing/login.ts';
import { accountingRecord, seedVoucherWorld } from './testing/fixtures.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
});
afterAll(() => db.drop());

describe('stale session cleanup', () => {
  it('closes a session that missed its interims so the user can log in again, and leaves fresh ones', async () => {
    const w = await seedVoucherWorld(db.handle.db, { interimIntervalSeconds: 60 });
    const [stale = '', fresh = ''] = w.codes;
    const t0 = new Date('2026-11-22T10:00:00Z');
    await recordAccounting(
      db.handle.db,
      accountingRecord(w, { userName: stale, acctSessionId: 's', at: t0 }),
    );
    await recordAccounting(
      db.handle.db,
      accountingRecord(w, { userName: fresh, acctSessionId: 'f', at: new Date(t0.getTime() + 100_000) }),
    );
    const now = new Date(t0.getTime() + 151_000);
    const keyring = new Keyring([masterKeyFromBytes(randomBytes(32))]);
    const loginAt = (code: string) =>
      login(db.handle.db, keyring, testNas(w.nas.id, w.tenant.id), code, code, { now });
    expect(await loginAt(stale)).toMatchObject({
      accept: false,
      reason: 'too_many_sessions',
    });

    expect(await closeStaleSessions(db.handle.db, now)).toBe(1);
    const [row] = await db.handle.db.select().from(radiusSessions).where(eq(radiusSessions.userName, stale));
    expect(row).toMatchObject({ terminateCause: 'Stale-Session', stoppedAt: t0 });
    expect(await loginAt(stale)).toMatchObject({ accept: true });
    expect(await loginAt(fresh)).toMatchObject({
      accept: false,
      reason: 'too_many_sessions',
    });
  });
});
