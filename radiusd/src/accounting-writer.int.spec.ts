import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { radiusSessions, vouchers, type DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import type { AccountingRecord } from './accounting.ts';
import { AccountingSpool } from './accounting-spool.ts';
import { AccountingWriter } from './accounting-writer.ts';
import { accountingRecord, seedVoucherWorld } from './testing/fixtures.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
});
afterAll(() => db.drop());

async function writer() {
  const spool = new AccountingSpool(await mkdtemp(join(tmpdir(), 'writer-spool-')));
  await spool.init();
  return new AccountingWriter(db.handle.db, spool, pino({ level: 'silent' }));
}

describe('AccountingWriter group commit', () => {
  it('commits many concurrent records, merging packets of one session like the upsert would', async () => {
    const w = await seedVoucherWorld(db.handle.db, { sharedUsers: 100 });
    const code = w.codes[0] ?? '';
    const base = {
      nasId: w.nas.id,
      tenantId: w.tenant.id,
      userName: code,
      nasPort: '1',
      framedIp: null,
      callingStationId: null,
      terminateCause: null,
      at: new Date(),
    };
    const zero = { ...base, sessionTime: 0, inputOctets: 0n, outputOctets: 0n };
    const records: AccountingRecord[] = [];
    for (let s = 0; s < 100; s++) {
      records.push({
        ...base,
        status: 'start',
        acctSessionId: `s${s}`,
        sessionTime: 0,
        inputOctets: 0n,
        outputOctets: 0n,
      });
      records.push({
        ...base,
        status: 'interim',
        acctSessionId: `s${s}`,
        sessionTime: 60,
        inputOctets: 1000n,
        outputOctets: 10n,
      });
      records.push({
        ...base,
        status: 'interim',
        acctSessionId: `s${s}`,
        sessionTime: 30,
        inputOctets: 500n,
        outputOctets: 5n,
      });
    }
    const wr = await writer();
    const results = await Promise.all(records.map((r) => wr.write(r)));
    expect(results.every((r) => !r.spooled)).toBe(true);
    const rows = await db.handle.db.select().from(radiusSessions).where(eq(radiusSessions.userName, code));
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => r.sessionTime === 60 && r.inputOctets === 1000n && r.stoppedAt === null)).toBe(
      true,
    );
    // Accounting-Off, written with a Start behind it: it waits for every batch before it,
    // closes those sessions (their usage moves into the voucher) and the Start comes after.
    const [off, late] = await Promise.all([
      wr.write({ ...zero, status: 'off', userName: '', acctSessionId: '' }),
      wr.write({ ...zero, status: 'start', acctSessionId: 'late' }),
    ]);
    expect(off.spooled || late.spooled).toBe(false);
    const [v] = await db.handle.db.select().from(vouchers).where(eq(vouchers.code, code));
    expect(v).toMatchObject({ usedSeconds: 6000, usedOctets: 101_000n });
    const open = await db.handle.db
      .select({ id: radiusSessions.acctSessionId })
      .from(radiusSessions)
      .where(and(eq(radiusSessions.userName, code), isNull(radiusSessions.stoppedAt)));
    expect(open).toEqual([{ id: 'late' }]);
  });

  it('does not let one record the database refuses fail the others in its batch', async () => {
    const w = await seedVoucherWorld(db.handle.db);
    const good = (id: string) =>
      accountingRecord(w, { userName: 'someone', acctSessionId: id, nasPort: null });
    const wr = await writer();
    const results = await Promise.allSettled([
      wr.write(good('g1')),
      wr.write({ ...good('bad'), nasId: randomUUID() }),
      wr.write(good('g2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await db.handle.db
      .select()
      .from(radiusSessions)
      .where(eq(radiusSessions.userName, 'someone'));
    expect(rows.map((r) => r.acctSessionId).sort()).toEqual(['g1', 'g2']);
  });
});
