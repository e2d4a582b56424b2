import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Keyring, masterKeyFromBytes, plans, SECRET_PURPOSE, subscribers, type DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import { recordAccounting } from './accounting.ts';
import { login, testNas } from './testing/login.ts';
import { accountingRecord, seedVoucherWorld } from './testing/fixtures.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
const keyring = new Keyring([masterKeyFromBytes(randomBytes(32))]);
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
});
afterAll(() => db.drop());

async function subscriberWorld(over: Partial<typeof subscribers.$inferInsert> = {}) {
  const w = await seedVoucherWorld(db.handle.db);
  const passwordEnc = await keyring.encrypt(
    db.handle.db,
    w.tenant.id,
    SECRET_PURPOSE.subscriberPassword,
    'pppoe-secret',
  );
  const [s] = await db.handle.db
    .insert(subscribers)
    .values({ tenantId: w.tenant.id, username: 'Jane', passwordEnc, planId: w.plan.id, ...over })
    .returning();
  if (!s) throw new Error('no subscriber');
  return { w, s, nas: testNas(w.nas.id, w.tenant.id) };
}

describe('subscriber login', () => {
  it('accepts PPPoE MS-CHAPv2 and CHAP with the decrypted password, any user-name case, with a static IP', async () => {
    const { nas } = await subscriberWorld({ framedIp: '10.20.0.7' });
    const ms = await login(db.handle.db, keyring, nas, 'jane', 'pppoe-secret', { method: 'mschapv2' });
    expect(ms).toMatchObject({ accept: true });
    expect(ms.attributes).toContainEqual(['Framed-IP-Address', '10.20.0.7']);
    expect(ms.attributes).toContainEqual(['Mikrotik-Rate-Limit', '1M/5M']);
    expect(await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret', { method: 'chap' })).toMatchObject(
      { accept: true },
    );
    expect(await login(db.handle.db, keyring, nas, 'Jane', 'wrong', { method: 'mschapv2' })).toMatchObject({
      accept: false,
      reason: 'bad_password',
    });
  });

  it('counts an open session against the account whatever case its user name was sent in', async () => {
    const { w, s, nas } = await subscriberWorld();
    const start = accountingRecord(w, { userName: 'JANE', acctSessionId: 'pppoe-1' });
    await recordAccounting(db.handle.db, start);
    expect(s.username).toBe('Jane');
    expect(await login(db.handle.db, keyring, nas, 'jane', 'pppoe-secret', { method: 'chap' })).toMatchObject(
      {
        accept: false,
        reason: 'too_many_sessions',
      },
    );
    await recordAccounting(db.handle.db, { ...start, status: 'stop', sessionTime: 60 });
    expect(await login(db.handle.db, keyring, nas, 'jane', 'pppoe-secret', { method: 'chap' })).toMatchObject(
      {
        accept: true,
      },
    );
  });

  it('rejects a disabled or suspended account, or one past its paid-up date', async () => {
    const { nas, s } = await subscriberWorld();
    const set = (v: Partial<typeof subscribers.$inferInsert>) =>
      db.handle.db.update(subscribers).set(v).where(eq(subscribers.id, s.id));
    await set({ status: 'suspended' });
    expect(await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret')).toMatchObject({
      accept: false,
      reason: 'suspended',
    });
    await set({ status: 'disabled' });
    expect(await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret')).toMatchObject({
      accept: false,
      reason: 'disabled',
    });
    await set({ status: 'active', expiresAt: new Date(Date.now() - 1000) });
    expect(await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret')).toMatchObject({
      accept: false,
      reason: 'expired',
    });
  });

  it('admits a suspended account to the walled garden when its plan says so', async () => {
    const { nas, s, w } = await subscriberWorld({ status: 'suspended' });
    await db.handle.db.update(plans).set({ exhaustedAction: 'walled_garden' }).where(eq(plans.id, w.plan.id));
    const r = await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret');
    expect(r).toMatchObject({ accept: true, reason: 'walled_garden_suspended' });
    expect(r.attributes).toContainEqual(['Mikrotik-Address-List', 'kasi-walled-garden']);
    expect(s.status).toBe('suspended');
  });

  it('binds to a MAC address when one is set', async () => {
    const { nas } = await subscriberWorld({ macAddress: 'AA:BB:CC:DD:EE:FF' });
    expect(
      await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret', {
        callingStationId: 'AA-BB-CC-DD-EE-FF',
      }),
    ).toMatchObject({ accept: true });
    expect(
      await login(db.handle.db, keyring, nas, 'Jane', 'pppoe-secret', {
        callingStationId: 'AA-BB-CC-DD-EE-00',
      }),
    ).toMatchObject({ accept: false, reason: 'mac_mismatch' });
  });
});
