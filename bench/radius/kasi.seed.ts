// Kasi's side of the fixture: migrations, one tenant with one plan, the bench NAS (secret
// encrypted with the master key radiusd will be given) and the vouchers, in bulk.
import {
  connect,
  Keyring,
  masterKeyFromBytes,
  nas,
  plans,
  runMigrations,
  SECRET_PURPOSE,
  tenants,
  voucherBatches,
  type DbHandle,
} from '@kasi/db';
import { textArray } from './postgres-admin.ts';

/** radiusd's session key (radiusd/src/accounting.ts), so seeded sessions look like real ones. */
const sessionKeyOf = (user: string, acctSessionId: string, nasPort: string) =>
  JSON.stringify([user, acctSessionId, nasPort]);

export interface KasiFixture {
  tenantId: string;
  nasId: string;
}

/** The plan a FreeRADIUS operator would write as Mikrotik-Rate-Limit "1M/5M" + Session-Timeout 3600. */
export const BENCH_PLAN = {
  name: 'Bench 1 hour 5M',
  downloadBps: 5_000_000,
  uploadBps: 1_000_000,
  timeQuotaSeconds: 3600,
  validitySeconds: 30 * 86_400,
  sharedUsers: 1,
  interimIntervalSeconds: 300,
  priceMinor: 5_000n,
  currency: 'KES',
};

export interface KasiSeedInput {
  url: string;
  codes: string[];
  secret: string;
  masterKey: Buffer;
  /** Run after the migrations (BENCH_KASI_EXTRA_SQL). */
  extraSql: string;
}

export async function seedKasi({
  url,
  codes,
  secret,
  masterKey,
  extraSql,
}: KasiSeedInput): Promise<KasiFixture> {
  const handle = connect(url, { max: 2, applicationName: 'kasi-bench-seed' });
  try {
    await runMigrations(handle);
    if (extraSql) await handle.sql.unsafe(extraSql).simple();
    const [tenant] = await handle.db
      .insert(tenants)
      .values({ name: 'Bench ISP', slug: 'bench', currency: 'KES' })
      .returning();
    if (!tenant) throw new Error('tenant insert returned nothing');
    const [plan] = await handle.db
      .insert(plans)
      .values({ tenantId: tenant.id, ...BENCH_PLAN })
      .returning();
    if (!plan) throw new Error('plan insert returned nothing');
    const keyring = new Keyring([masterKeyFromBytes(masterKey)]);
    const secretEnc = await keyring.encrypt(handle.db, tenant.id, SECRET_PURPOSE.nasSecret, secret);
    const [router] = await handle.db
      .insert(nas)
      .values({ tenantId: tenant.id, name: 'bench-hotspot', address: '127.0.0.1', secretEnc })
      .returning();
    if (!router) throw new Error('nas insert returned nothing');
    const [batch] = await handle.db
      .insert(voucherBatches)
      .values({
        tenantId: tenant.id,
        planId: plan.id,
        name: 'bench',
        quantity: codes.length,
        codeLength: (codes[0]?.length ?? 11) - 1,
      })
      .returning();
    if (!batch) throw new Error('batch insert returned nothing');
    // Already sold and in use: the validity clock has started, so an Access-Request only reads,
    // as FreeRADIUS's does (a first login would add one UPDATE to start the clock).
    await handle.sql`
      insert into vouchers (tenant_id, batch_id, plan_id, code, status, sold_at, first_used_at, expires_at)
      select ${tenant.id}, ${batch.id}, ${plan.id}, c, 'active',
             now() - interval '2 hours', now() - interval '1 hour', now() + interval '29 days'
        from unnest(${textArray(codes)}::text[]) as c`;
    await handle.sql`analyze`;
    return { tenantId: tenant.id, nasId: router.id };
  } finally {
    await handle.close();
  }
}

/** Back to "no sessions, no usage", vacuumed, so each scenario starts from the same state. */
export async function resetKasiSessions(url: string): Promise<void> {
  await withHandle(url, async ({ sql }) => {
    await sql`truncate radius_sessions`;
    await sql`update vouchers set used_seconds = 0, used_octets = 0 where used_seconds <> 0 or used_octets <> 0`;
    await sql`vacuum analyze`;
    // Flush dirty pages now rather than in a checkpoint during the next measurement.
    await sql`checkpoint`;
  });
}

/** Open sessions (stopped_at null, updated a minute ago so stale cleanup leaves them) for these codes. */
export async function openKasiSessions(url: string, fixture: KasiFixture, codes: string[]): Promise<void> {
  await withHandle(url, async ({ sql }) => {
    const ids = codes.map((_, i) => `OPEN${i}`);
    const ports = codes.map((_, i) => String(i));
    const keys = codes.map((code, i) => sessionKeyOf(code, ids[i] ?? '', ports[i] ?? ''));
    await sql`
      insert into radius_sessions (tenant_id, nas_id, session_key, acct_session_id, user_name, voucher_id,
                                   nas_port, started_at, last_update_at, session_time)
      select v.tenant_id, ${fixture.nasId}, u.key, u.sid, u.code, v.id, u.port,
             now() - interval '10 minutes', now() - interval '1 minute', 540
        from unnest(${textArray(codes)}::text[], ${textArray(keys)}::text[],
                    ${textArray(ids)}::text[], ${textArray(ports)}::text[]) as u(code, key, sid, port)
        join vouchers v on v.tenant_id = ${fixture.tenantId} and v.code = u.code`;
    await sql`vacuum analyze`;
  });
}

async function withHandle(url: string, work: (h: DbHandle) => Promise<void>): Promise<void> {
  const handle = connect(url, { max: 1, applicationName: 'kasi-bench-seed' });
  try {
    await work(handle);
  } finally {
    await handle.close();
  }
}
