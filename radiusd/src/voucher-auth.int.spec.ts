import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { vouchers, type DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import { authorizeVoucher } from './voucher-auth.ts';
import { recordAccounting, type AccountingRecord } from './accounting.ts';
import { seedVoucherWorld } from './testing/fixtures.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
});
afterAll(() => db.drop());

const acct = (
  w: Awaited<ReturnType<typeof seedVoucherWorld>>,
  over: Partial<AccountingRecord>,
): AccountingRecord => ({
  status: 'start',
  nasId: w.nas.id,
  tenantId: w.tenant.id,
  userName: w.codes[0] ?? '',
  acctSessionId: 's1',
  nasPort: '1',
  framedIp: null,
  callingStationId: null,
  sessionTime: 0,
  inputOctets: 0n,
  outputOctets: 0n,
  terminateCause: null,
  at: new Date(),
  ...over,
});

describe('voucher authorisation', () => {
  it('starts the validity clock at first login and keeps it on the next', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[0] ?? '';
    const t0 = new Date('2026-11-22T10:00:00Z');
    const first = await authorizeVoucher(db.handle.db, w.tenant.id, code.toLowerCase(), { now: t0 });
    expect(first).toMatchObject({ accept: true, grant: { sessionTimeout: 3600 } });
    const [v] = await db.handle.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v).toMatchObject({
      status: 'active',
      firstUsedAt: t0,
      expiresAt: new Date('2026-11-22T11:00:00Z'),
    });
    const later = await authorizeVoucher(db.handle.db, w.tenant.id, code, {
      now: new Date('2026-11-22T10:45:00Z'),
    });
    expect(later).toMatchObject({ accept: true, grant: { sessionTimeout: 900, firstUse: null } });
    const expired = await authorizeVoucher(db.handle.db, w.tenant.id, code, {
      now: new Date('2026-11-22T11:00:01Z'),
    });
    expect(expired).toMatchObject({ accept: false, reason: 'expired' });
  });

  it('enforces the shared-user limit from open sessions, and frees it on Stop', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[1] ?? '';
    await recordAccounting(db.handle.db, acct(w, { userName: code, acctSessionId: 'a' }));
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, code)).toMatchObject({
      accept: false,
      reason: 'too_many_sessions',
    });
    await recordAccounting(
      db.handle.db,
      acct(w, { userName: code, acctSessionId: 'a', status: 'stop', sessionTime: 60 }),
    );
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, code)).toMatchObject({ accept: true });
  });

  it('rejects unknown, void and locked codes, and codes of another tenant', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const other = await seedVoucherWorld(db.handle.db);
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, 'NOSUCHCODE')).toMatchObject({
      accept: false,
      reason: 'unknown_user',
    });
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, other.codes[0] ?? '')).toMatchObject({
      accept: false,
      reason: 'unknown_user',
    });
    await db.handle.db
      .update(vouchers)
      .set({ status: 'void' })
      .where(eq(vouchers.code, w.codes[0] ?? ''));
    await db.handle.db
      .update(vouchers)
      .set({ locked: true })
      .where(eq(vouchers.code, w.codes[1] ?? ''));
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, w.codes[0] ?? '')).toMatchObject({
      accept: false,
      reason: 'void',
    });
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, w.codes[1] ?? '')).toMatchObject({
      accept: false,
      reason: 'locked',
    });
  });

  it('rejects once the data quota is used up', async () => {
    const w = await seedVoucherWorld(db.handle.db, { dataQuotaBytes: 1000n });
    const code = w.codes[0] ?? '';
    await recordAccounting(
      db.handle.db,
      acct(w, { userName: code, status: 'stop', inputOctets: 600n, outputOctets: 400n }),
    );
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, code)).toMatchObject({
      accept: false,
      reason: 'data_exhausted',
    });
  });
});

describe('accounting', () => {
  it('is idempotent, never rolls counters back, and Accounting-On closes the NAS’s sessions', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[2] ?? '';
    const interim = acct(w, {
      userName: code,
      status: 'interim',
      sessionTime: 300,
      inputOctets: 5000n,
      outputOctets: 7000n,
    });
    await recordAccounting(db.handle.db, acct(w, { userName: code }));
    await recordAccounting(db.handle.db, interim);
    await recordAccounting(db.handle.db, interim);
    await recordAccounting(db.handle.db, { ...interim, sessionTime: 200, inputOctets: 10n });
    const [v] = await db.handle.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v).toMatchObject({ usedSeconds: 300, usedOctets: 12000n });
    await recordAccounting(db.handle.db, acct(w, { status: 'on', userName: '', acctSessionId: '' }));
    expect(await authorizeVoucher(db.handle.db, w.tenant.id, code)).toMatchObject({ accept: true });
  });
});
