import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, subscribers, SECRET_PURPOSE } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from './subscriber.service.ts';
import { checkImport, commitImport, previewImport } from './subscriber-import.service.ts';
import { exportSubscribersCsv } from './subscriber-export.service.ts';
import { listSubscribers } from './subscriber-query.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const plan = {
  name: 'Home 10M',
  downloadBps: 10_000_000,
  uploadBps: 2_000_000,
  priceMinor: 150000n,
  currency: 'KES',
};

async function world() {
  const { actor } = await t.newTenant();
  const home = await createPlan(t.app, actor, plan);
  const count = async () =>
    (await t.app.db.select().from(subscribers).where(eq(subscribers.tenantId, actor.tenantId))).length;
  return { actor, home, count };
}

const good = [
  'Login,Customer Name,Mobile,Package,MAC,Tags,Password',
  'alice,Alice W,+254711000001,home 10m,aa:bb:cc:00:00:01,tower-a;vip,alice-pass',
  'bob,"Bob, Jr",+254711000002,Home 10M,,tower-b,',
].join('\n');

describe('CSV import', () => {
  it('guesses the mapping from the headers and previews the first rows', async () => {
    const { actor } = await world();
    const p = await previewImport(t.app, actor, { csv: good });
    expect(p.mapping).toEqual(['username', 'fullName', 'phone', 'plan', 'macAddress', 'tags', 'password']);
    expect(p.rowCount).toBe(2);
    expect(p.sample[1]).toEqual(['bob', 'Bob, Jr', '+254711000002', 'Home 10M', '', 'tower-b', '']);
  });

  it('a dry run writes nothing; the commit writes every row, generates missing passwords and audits', async () => {
    const { actor, count } = await world();
    const dry = await checkImport(t.app, actor, { csv: good });
    expect(dry.refused).toEqual([]);
    expect(dry.accepted).toEqual([
      { row: 2, username: 'alice', planName: 'Home 10M', passwordGenerated: false },
      { row: 3, username: 'bob', planName: 'Home 10M', passwordGenerated: true },
    ]);
    expect(await count()).toBe(0);
    const done = await commitImport(t.app, actor, { csv: good });
    expect(done.created).toBe(2);
    expect(done.generated.map((g) => g.username)).toEqual(['bob']);
    const rows = await t.app.db.select().from(subscribers).where(eq(subscribers.tenantId, actor.tenantId));
    const bob = rows.find((r) => r.username === 'bob');
    expect(bob).toMatchObject({ fullName: 'Bob, Jr', tags: ['tower-b'], phone: '+254711000002' });
    expect(
      await t.app.keyring.decrypt(
        t.app.db,
        actor.tenantId,
        SECRET_PURPOSE.subscriberPassword,
        bob?.passwordEnc ?? '',
      ),
    ).toBe(done.generated[0]?.password);
    const audits = await t.app.db.select().from(auditLog).where(eq(auditLog.tenantId, actor.tenantId));
    expect(audits.filter((a) => a.action === 'subscriber.create')).toHaveLength(2);
  });

  it('refuses rows with reasons naming row and field, and a commit with any refusal writes nothing', async () => {
    const { actor, home, count } = await world();
    await createSubscriber(t.app, actor, { username: 'taken', password: 'secret-1', planId: home.id });
    const csv = [
      'username,plan,phone,mac',
      'ok1,Home 10M,+254700000001,',
      'ok2,Gold,+254700000002,',
      'ok1,Home 10M,,',
      'TAKEN,Home 10M,,',
      'ok3,Home 10M,0712,',
      'ok4,Home 10M,,zz:zz',
      'ok5,,,',
    ].join('\n');
    const dry = await checkImport(t.app, actor, { csv });
    expect(dry.accepted.map((a) => a.username)).toEqual(['ok1']);
    expect(dry.refused).toEqual([
      { row: 3, field: 'plan', message: 'Unknown plan "Gold"' },
      { row: 4, field: 'username', message: 'Same user name as row 2' },
      { row: 5, field: 'username', message: 'The user name "TAKEN" is taken' },
      { row: 6, field: 'phone', message: 'International format, like +254712345678' },
      { row: 7, field: 'macAddress', message: 'MAC address like AA:BB:CC:DD:EE:FF' },
      { row: 8, field: 'plan', message: 'No plan given' },
    ]);
    await expect(commitImport(t.app, actor, { csv })).rejects.toMatchObject({
      code: 'SUBSCRIBER.IMPORT_REFUSED',
      message: 'Row 3, plan: Unknown plan "Gold" (and 5 more refusals)',
      details: { refused: dry.refused },
    });
    expect(await count()).toBe(1);
    // Told to leave refused rows out, the commit writes the rest.
    expect(await commitImport(t.app, actor, { csv, skipRefused: true })).toMatchObject({ created: 1 });
    expect(await count()).toBe(2);
  });

  it('all or nothing: a row refused while writing rolls back the rows written before it', async () => {
    const { actor, count } = await world();
    // Two imports at once share user names: whichever comes second meets the first's rows
    // (at its check, or as a unique violation while writing) and must leave "zero" unwritten too.
    const first = commitImport(t.app, actor, {
      csv: ['username,plan', 'one,Home 10M', 'two,Home 10M'].join('\n'),
    });
    const second = commitImport(t.app, actor, {
      csv: ['username,plan', 'zero,Home 10M', 'one,Home 10M'].join('\n'),
    });
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const names = (await listSubscribers(t.app, actor)).rows.map((r) => r.subscriber.username);
    expect(
      names.length === 2 && (names.includes('zero') ? !names.includes('two') : names.includes('two')),
    ).toBe(true);
    expect(await count()).toBe(2);
  });

  it('uses the mapping the operator chose, refuses an unusable one, and keeps tenants apart', async () => {
    const a = await world();
    const b = await world();
    await createSubscriber(t.app, b.actor, { username: 'shared', password: 'secret-1', planId: b.home.id });
    const csv = ['a,b,c', `shared,${b.home.id},ignored`, 'x1,Home 10M,ignored'].join('\n');
    await expect(checkImport(t.app, a.actor, { csv })).rejects.toMatchObject({
      code: 'SUBSCRIBER.IMPORT_MAPPING',
    });
    await expect(
      checkImport(t.app, a.actor, { csv, mapping: ['username', 'username', null] }),
    ).rejects.toMatchObject({ code: 'SUBSCRIBER.IMPORT_MAPPING' });
    const dry = await checkImport(t.app, a.actor, { csv, mapping: ['username', 'plan', null] });
    // B's user name is free in A; B's plan id is unknown in A.
    expect(dry.refused).toEqual([{ row: 2, field: 'plan', message: `Unknown plan "${b.home.id}"` }]);
    expect(dry.accepted.map((r) => r.username)).toEqual(['x1']);
  });

  it('exports the filtered list without passwords, in a shape the import reads back', async () => {
    const { actor } = await world();
    await commitImport(t.app, actor, { csv: good });
    const { csv, count } = await exportSubscribersCsv(t.app, actor, { tag: 'vip' });
    expect(count).toBe(1);
    expect(csv).not.toContain('alice-pass');
    expect(csv.split('\n')[1]).toContain('alice,Home 10M,any,active');
    const other = await world();
    const back = await checkImport(t.app, other.actor, { csv });
    expect(back.refused).toEqual([]);
    expect(back.accepted).toMatchObject([{ username: 'alice', passwordGenerated: true }]);
    expect((await listSubscribers(t.app, other.actor)).total).toBe(0);
  });
});
