import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { Keyring, masterKeyFromBytes, radiusSessions, vouchers, type DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import { recordAccounting, type AccountingRecord } from './accounting.ts';
import { closeStaleSessions } from './stale-sessions.ts';
import { PlanCache } from './plan-cache.ts';
import { VoucherLookups } from './credential-lookup.ts';
import { login, testNas } from './testing/login.ts';
import { accountingRecord, seedVoucherWorld } from './testing/fixtures.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
const keyring = new Keyring([masterKeyFromBytes(randomBytes(32))]);
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
});
afterAll(() => db.drop());

type World = Awaited<ReturnType<typeof seedVoucherWorld>>;
const nasOf = (w: World) => testNas(w.nas.id, w.tenant.id);
const codeLogin = (w: World, code: string, o: Parameters<typeof login>[5] = {}) =>
  login(db.handle.db, keyring, nasOf(w), code, code, o);

const acct = (w: World, over: Partial<AccountingRecord>): AccountingRecord =>
  accountingRecord(w, { userName: w.codes[0] ?? '', ...over });

async function storedUsage(code: string) {
  const [v] = await db.handle.db
    .select({ usedSeconds: vouchers.usedSeconds, usedOctets: vouchers.usedOctets })
    .from(vouchers)
    .where(eq(vouchers.code, code));
  return v;
}

describe('voucher login', () => {
  it('starts the validity clock at first login and keeps it on the next', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[0] ?? '';
    const t0 = new Date('2026-11-22T10:00:00Z');
    const first = await codeLogin(w, code.toLowerCase(), { now: t0 });
    expect(first).toMatchObject({ accept: true });
    expect(first.attributes).toContainEqual(['Session-Timeout', 3600]);
    const [v] = await db.handle.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v).toMatchObject({
      status: 'active',
      firstUsedAt: t0,
      expiresAt: new Date('2026-11-22T11:00:00Z'),
    });
    const later = await codeLogin(w, code, { now: new Date('2026-11-22T10:45:00Z'), method: 'chap' });
    expect(later.attributes).toContainEqual(['Session-Timeout', 900]);
    expect(await codeLogin(w, code, { now: new Date('2026-11-22T11:00:01Z') })).toMatchObject({
      accept: false,
      reason: 'expired',
    });
  });

  it('accepts PAP, CHAP and MS-CHAPv2 proofs of the code, with MPPE keys for MS-CHAPv2', async () => {
    const w = await seedVoucherWorld(db.handle.db, { sharedUsers: 5 });
    const code = w.codes[0] ?? '';
    for (const method of ['pap', 'chap', 'mschapv2'] as const) {
      expect(await codeLogin(w, code, { method }), method).toMatchObject({ accept: true });
      expect(
        await login(db.handle.db, keyring, nasOf(w), code, 'WRONGCODE', { method }),
        method,
      ).toMatchObject({ accept: false, reason: 'bad_password' });
    }
    const ms = await codeLogin(w, code, { method: 'mschapv2' });
    expect(ms.attributes.map((a) => (Array.isArray(a) ? a[0] : null))).toEqual(
      expect.arrayContaining(['MS-CHAP2-Success', 'MS-MPPE-Send-Key', 'MS-MPPE-Recv-Key']),
    );
  });

  it('enforces the shared-user limit from open sessions, and frees it on Stop', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[1] ?? '';
    await recordAccounting(db.handle.db, acct(w, { userName: code, acctSessionId: 'a' }));
    expect(await codeLogin(w, code)).toMatchObject({ accept: false, reason: 'too_many_sessions' });
    await recordAccounting(
      db.handle.db,
      acct(w, { userName: code, acctSessionId: 'a', status: 'stop', sessionTime: 60 }),
    );
    expect(await codeLogin(w, code)).toMatchObject({ accept: true });
  });

  it('counts a session against the voucher however the code was typed when it started', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[2] ?? '';
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
    await recordAccounting(db.handle.db, acct(w, { userName: typed, acctSessionId: 'typed' }));
    expect(await codeLogin(w, code)).toMatchObject({ accept: false, reason: 'too_many_sessions' });
    expect(await codeLogin(w, code.toLowerCase())).toMatchObject({
      accept: false,
      reason: 'too_many_sessions',
    });
    await recordAccounting(
      db.handle.db,
      acct(w, { userName: typed, acctSessionId: 'typed', status: 'stop' }),
    );
    expect(await codeLogin(w, code)).toMatchObject({ accept: true });
  });

  it('answers logins that arrive together from one statement per tenant, each with its own voucher', async () => {
    const a = await seedVoucherWorld(db.handle.db, { sharedUsers: 5 });
    const b = await seedVoucherWorld(db.handle.db, { sharedUsers: 5 });
    const [a0 = '', a1 = '', a2 = ''] = a.codes;
    const [b0 = ''] = b.codes;
    const attempts: [World, string, string | true][] = [
      [a, a0, true],
      [a, a1, true],
      [a, a2.toLowerCase(), true],
      [a, a2, true], // the same code twice in one batch
      [a, b0, 'unknown_user'], // another tenant's code
      [a, 'NOSUCHCODE', 'unknown_user'],
      [b, b0, true],
    ];
    const lookups = VoucherLookups.for(db.handle.db);
    const before = { ...lookups.stats };
    const outcomes = await Promise.all(attempts.map(([w, code]) => codeLogin(w, code)));
    outcomes.forEach((o, i) => {
      const expected = attempts[i]?.[2];
      expect(o, attempts[i]?.[1]).toMatchObject(
        expected === true ? { accept: true } : { accept: false, reason: expected },
      );
    });
    expect(lookups.stats.lookups - before.lookups).toBe(attempts.length);
    expect(lookups.stats.statements - before.statements).toBe(2);
  });

  it('answers every other login of a batch whose statement the database refuses', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const lookups = VoucherLookups.for(db.handle.db);
    const before = { ...lookups.stats };
    // Past radiusd's front (which rejects it), a NUL byte fails any statement it is sent with.
    const found = await Promise.allSettled(
      [...w.codes, 'BAD\0CODE', 'NOSUCHCODE'].map((code) => lookups.find(w.tenant.id, code)),
    );
    expect(found.map((f) => (f.status === 'fulfilled' ? (f.value?.code ?? 'none') : 'failed'))).toEqual([
      ...w.codes,
      'failed',
      'none',
    ]);
    expect(lookups.stats.split - before.split).toBe(1);
    expect(lookups.stats.statements - before.statements).toBe(1 + 5);
  });

  it('applies an edited plan from the next login, however the plan row was changed', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[0] ?? '';
    const before = await codeLogin(w, code);
    expect(before.attributes).toContainEqual(['Mikrotik-Rate-Limit', '1M/5M']);
    const plans = PlanCache.for(db.handle.db);
    const { hits, misses } = plans.stats;
    await codeLogin(w, code);
    expect(plans.stats).toEqual({ hits: hits + 1, misses });
    // Plain SQL, as a migration or another tool would do it: no updated_at bump.
    await db.handle.db.execute(sql`update plans set download_bps = 8000000 where id = ${w.plan.id}`);
    const after = await codeLogin(w, code);
    expect(after.attributes).toContainEqual(['Mikrotik-Rate-Limit', '1M/8M']);
    expect(plans.stats.misses).toBe(misses + 1);
  });

  it('rejects unknown, void and locked codes, and codes of another tenant', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const other = await seedVoucherWorld(db.handle.db);
    expect(await codeLogin(w, 'NOSUCHCODE')).toMatchObject({ accept: false, reason: 'unknown_user' });
    expect(await codeLogin(w, other.codes[0] ?? '')).toMatchObject({ accept: false, reason: 'unknown_user' });
    await db.handle.db
      .update(vouchers)
      .set({ status: 'void' })
      .where(eq(vouchers.code, w.codes[0] ?? ''));
    await db.handle.db
      .update(vouchers)
      .set({ locked: true })
      .where(eq(vouchers.code, w.codes[1] ?? ''));
    expect(await codeLogin(w, w.codes[0] ?? '')).toMatchObject({ accept: false, reason: 'void' });
    expect(await codeLogin(w, w.codes[1] ?? '')).toMatchObject({ accept: false, reason: 'locked' });
  });

  it('rejects once the data quota is used up, or admits to the walled garden when the plan says so', async () => {
    const w = await seedVoucherWorld(db.handle.db, { dataQuotaBytes: 1000n });
    const code = w.codes[0] ?? '';
    await recordAccounting(
      db.handle.db,
      acct(w, { userName: code, status: 'stop', inputOctets: 600n, outputOctets: 400n }),
    );
    expect(await codeLogin(w, code)).toMatchObject({ accept: false, reason: 'data_exhausted' });

    const g = await seedVoucherWorld(db.handle.db, {
      dataQuotaBytes: 1000n,
      exhaustedAction: 'walled_garden',
      walledGardenList: 'unpaid',
    });
    const gc = g.codes[0] ?? '';
    await recordAccounting(db.handle.db, acct(g, { userName: gc, status: 'stop', inputOctets: 1000n }));
    const garden = await codeLogin(g, gc);
    expect(garden).toMatchObject({ accept: true, reason: 'walled_garden_data_exhausted' });
    expect(garden.attributes).toContainEqual(['Mikrotik-Address-List', 'unpaid']);
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
    const [session] = await db.handle.db
      .select()
      .from(radiusSessions)
      .where(eq(radiusSessions.userName, code));
    expect(session).toMatchObject({ sessionTime: 300, inputOctets: 5000n, outputOctets: 7000n });
    // Stored usage counts closed sessions only; the open one is added when usage is read.
    expect(await storedUsage(code)).toEqual({ usedSeconds: 0, usedOctets: 0n });
    expect(await codeLogin(w, code)).toMatchObject({ accept: false, reason: 'too_many_sessions' });
    await recordAccounting(db.handle.db, acct(w, { status: 'on', userName: '', acctSessionId: '' }));
    // Accounting-On closed the session, and its usage moved into the voucher's total.
    expect(await storedUsage(code)).toEqual({ usedSeconds: 300, usedOctets: 12000n });
    expect(await codeLogin(w, code)).toMatchObject({ accept: true });
  });

  it('adds a closed session to the voucher once, whoever closes it, and only growth after that', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const code = w.codes[0] ?? '';
    const a = acct(w, { userName: code, acctSessionId: 'a', sessionTime: 60, inputOctets: 100n });
    await recordAccounting(db.handle.db, a);
    const stop = { ...a, status: 'stop' as const, sessionTime: 120, inputOctets: 400n, outputOctets: 600n };
    await recordAccounting(db.handle.db, stop);
    await recordAccounting(db.handle.db, stop);
    expect(await storedUsage(code)).toEqual({ usedSeconds: 120, usedOctets: 1000n });
    // A late packet with higher counters adds the difference, a lower one nothing.
    await recordAccounting(db.handle.db, { ...stop, status: 'interim', sessionTime: 130 });
    await recordAccounting(db.handle.db, { ...stop, status: 'interim', sessionTime: 10, inputOctets: 1n });
    expect(await storedUsage(code)).toEqual({ usedSeconds: 130, usedOctets: 1000n });
    // A Stop for a session never seen before arrives closed.
    await recordAccounting(db.handle.db, {
      ...stop,
      acctSessionId: 'b',
      sessionTime: 5,
      inputOctets: 1n,
      outputOctets: 0n,
    });
    expect(await storedUsage(code)).toEqual({ usedSeconds: 135, usedOctets: 1001n });
    // The stale-session sweep closes a silent session and adds it too.
    await recordAccounting(db.handle.db, { ...a, acctSessionId: 'c', status: 'interim', sessionTime: 7 });
    expect(await closeStaleSessions(db.handle.db, new Date(Date.now() + 86_400_000))).toBe(1);
    expect(await storedUsage(code)).toEqual({ usedSeconds: 142, usedOctets: 1101n });
  });

  it('counts open sessions at login: a quota used up by a running session rejects the next login', async () => {
    const w = await seedVoucherWorld(db.handle.db, { sharedUsers: 2, timeQuotaSeconds: 600 });
    const code = w.codes[0] ?? '';
    await recordAccounting(db.handle.db, acct(w, { userName: code, status: 'interim', sessionTime: 599 }));
    expect(await codeLogin(w, code)).toMatchObject({ accept: true });
    await recordAccounting(db.handle.db, acct(w, { userName: code, status: 'interim', sessionTime: 600 }));
    expect(await codeLogin(w, code)).toMatchObject({ accept: false });
  });

  it('reports a voucher as exhausted when an interim pushes it past its data quota', async () => {
    const w = await seedVoucherWorld(db.handle.db, { dataQuotaBytes: 1_000_000n });
    const code = w.codes[0] ?? '';
    const base = acct(w, { userName: code, acctSessionId: 'q' });
    expect(await recordAccounting(db.handle.db, base)).toEqual({ exhausted: false });
    expect(
      await recordAccounting(db.handle.db, { ...base, status: 'interim', inputOctets: 600_000n }),
    ).toEqual({ exhausted: false });
    expect(
      await recordAccounting(db.handle.db, {
        ...base,
        status: 'interim',
        inputOctets: 700_000n,
        outputOctets: 400_000n,
      }),
    ).toEqual({ exhausted: true });
    // A Stop needs no disconnect.
    expect(
      await recordAccounting(db.handle.db, {
        ...base,
        status: 'stop',
        inputOctets: 700_000n,
        outputOctets: 400_000n,
      }),
    ).toEqual({ exhausted: false });
  });
});
