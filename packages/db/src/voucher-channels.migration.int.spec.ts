// Migration 0008 on data written before it: codes on a lease stay leased, codes a customer
// logged in with count as printed (and so as sold), the rest are in stock.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { connect, type DbHandle } from './client.ts';
import { MIGRATIONS_DIR } from './migrate.ts';
import { dropDatabase, withDatabase } from './testing.ts';

const BEFORE = '0007_tense_wild_child';
let name = '';
let handle: DbHandle;
let partial = '';

beforeAll(async () => {
  const admin = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => undefined });
  name = `kasi_mig_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  handle = connect(withDatabase(inject('adminDatabaseUrl'), name), { max: 2 });
  // The migrations as they stood before channels: the folder with a journal cut after 0007.
  partial = await mkdtemp(join(tmpdir(), 'kasi-migrations-'));
  await cp(MIGRATIONS_DIR, partial, { recursive: true });
  const journalPath = join(partial, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === BEFORE);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut + 1);
  await writeFile(journalPath, JSON.stringify(journal));
  await migrate(handle.db, { migrationsFolder: partial });
});

afterAll(async () => {
  await handle?.close();
  if (name) await dropDatabase(inject('adminDatabaseUrl'), name);
  if (partial) await rm(partial, { recursive: true, force: true });
});

describe('migration 0008 (voucher channels)', () => {
  it('keeps leased codes leased, counts used codes as printed and puts the rest in stock', async () => {
    const sql = handle.sql;
    const [tenant] =
      await sql`insert into tenants (name, slug, currency) values ('Old', 'old', 'KES') returning id`;
    const tenantId = String(tenant?.id);
    const [user] = await sql`insert into users (email, name, password_hash)
      values ('agent@old.test', 'Agent', 'x') returning id`;
    const [plan] =
      await sql`insert into plans (tenant_id, name, download_bps, upload_bps, price_minor, currency)
      values (${tenantId}, 'Hour', 1000000, 1000000, 2000, 'KES') returning id`;
    const [batch] = await sql`insert into voucher_batches (tenant_id, plan_id, name, quantity, code_length)
      values (${tenantId}, ${String(plan?.id)}, 'Old batch', 5, 8) returning id`;
    const [agent] = await sql`insert into agents (tenant_id, user_id, currency)
      values (${tenantId}, ${String(user?.id)}, 'KES') returning id`;
    const [device] =
      await sql`insert into agent_devices (tenant_id, agent_id, label, public_key_spki, key_fingerprint, status)
      values (${tenantId}, ${String(agent?.id)}, 'phone', 'k', 'f', 'approved') returning id`;
    const [lease] =
      await sql`insert into voucher_leases (tenant_id, device_id, agent_id, plan_id, count, unit_price_minor, currency, version)
      values (${tenantId}, ${String(device?.id)}, ${String(agent?.id)}, ${String(plan?.id)}, 2, 2000, 'KES', 1) returning id`;
    const code = (c: string, extra: Record<string, unknown> = {}) => ({
      tenant_id: tenantId,
      batch_id: String(batch?.id),
      plan_id: String(plan?.id),
      code: c,
      ...extra,
    });
    const leased = { leased_device_id: String(device?.id), lease_id: String(lease?.id) };
    const rows = [
      code('STOCK001'),
      code('LEASED01', { ...leased, status: 'leased' }),
      // Leased, then used by a paper customer: it stays with the phone (sync refuses the sale).
      code('LEASEUSE', { ...leased, status: 'active', first_used_at: new Date().toISOString() }),
      code('USEDCARD', { status: 'active', first_used_at: new Date().toISOString() }),
      code('VOIDED01', { status: 'void' }),
    ];
    for (const r of rows) await sql`insert into vouchers ${sql(r)}`;

    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });

    const after = await sql<{ code: string; channel: string; print_run_id: string | null }[]>`
      select code, channel, print_run_id from vouchers order by code`;
    expect(after.map((r) => [r.code, r.channel])).toEqual([
      ['LEASED01', 'leased'],
      ['LEASEUSE', 'leased'],
      ['STOCK001', 'stock'],
      ['USEDCARD', 'printed'],
      ['VOIDED01', 'stock'],
    ]);
    expect(after.every((r) => r.print_run_id === null)).toBe(true);
    // The new rule holds for old rows too: a channel says leased exactly when a device holds it.
    await expect(sql`update vouchers set channel = 'stock' where code = 'LEASED01'`).rejects.toThrow(
      /vouchers_channel_lease/,
    );
  });
});
