// Issue 15's reads on a real database: find anything, a code's page and its extend, online
// users across NASes with a kick through a real UDP listener, the audit viewer's filters, sales
// by channel on the tenant's calendar, and the CSV route over HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { radiusSessions, tenants, vouchers } from '@kasi/db';
import { formatVoucherCode } from '@kasi/domain';
import { newAgentWorld, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { signIn } from '../testing/api-caller.ts';
import {
  insertLiveSession,
  newRadiusTenant,
  startRadiusWorld,
  type RadiusWorld,
} from '../testing/radius-tenant.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createRouter } from '../routers/router.service.ts';
import { kickSession } from '../sessions/session.service.ts';
import { listOnline } from '../sessions/online.service.ts';
import { listAudit } from '../audit/audit.service.ts';
import { voidVouchers } from '../vouchers/voucher.service.ts';
import { extendCode, voucherByCode } from '../vouchers/voucher-lookup.ts';
import { findAnything } from '../search/search.service.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { CSV_PATH_PREFIX, csvRouteHandler } from '../http/csv-route.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { consoleCsvLists } from './csv-lists.ts';
import { salesByChannel } from './sales-report.service.ts';

const SECRET = 'console-lists-secret';
let world: RadiusWorld;
let w: AgentWorld;

beforeAll(async () => {
  world = await startRadiusWorld({ secret: SECRET });
  w = await newAgentWorld(world.t, { priceMinor: 1000n });
});
afterAll(() => world.close());

const t = () => world.t;

/** The device's next sale sequence: each sale of the file has its own (a reused one is refused). */
let nextSeq = 100;

async function sellAt(instants: string[]) {
  const codes = await w.lease(w.device, instants.length);
  const ops = await Promise.all(
    codes.map((c, i) => w.device.sale(c, nextSeq + i, { soldAt: instants[i] ?? '' })),
  );
  nextSeq += codes.length;
  await pushOps(t().app, w.agentActor, { deviceId: w.device.id, ops });
  return codes;
}

describe('find anything', () => {
  it('finds a code typed in lower case with dashes, and by its first characters', async () => {
    const [code] = (
      await t()
        .app.db.select({ code: vouchers.code })
        .from(vouchers)
        .where(eq(vouchers.batchId, w.batch.id))
        .limit(1)
    ).map((r) => r.code);
    if (!code) throw new Error('no code');
    const typed = formatVoucherCode(code).toLowerCase();
    const found = await findAnything(t().app, w.operator, { q: typed });
    expect(found.codes.map((c) => c.code)).toEqual([code]);
    const prefix = await findAnything(t().app, w.operator, { q: code.slice(0, 4).toLowerCase() });
    expect(prefix.codes.map((c) => c.code)).toContain(code);
  });

  it('finds subscribers by name, by phone as a caller says it, and by MAC in any format', async () => {
    const plan = await createPlan(t().app, w.operator, {
      name: 'Home',
      downloadBps: 1e7,
      uploadBps: 2e6,
      priceMinor: 100_000n,
      currency: 'KES',
    });
    const s = await createSubscriber(t().app, w.operator, {
      username: 'wanjiku',
      password: 'secret-pass-1',
      planId: plan.id,
      fullName: 'Wanjiku Kamau',
      phone: '+254712345678',
      macAddress: 'aa-bb-cc-00-11-22',
    });
    for (const q of ['wanj', 'Wanjiku K', '0712 345 678', 'AABB.CC00.1122', 'aa:bb:cc:00:11:22']) {
      const found = await findAnything(t().app, w.operator, { q });
      expect(
        found.subscribers.map((x) => x.id),
        q,
      ).toEqual([s.id]);
    }
    expect((await findAnything(t().app, w.operator, { q: 'nobody-like-this' })).subscribers).toEqual([]);
  });

  it('finds a router by host, and nothing of another tenant', async () => {
    await createRouter(t().app, w.operator, {
      name: 'Kibera tower',
      host: '10.9.8.7',
      username: 'api',
      password: 'api-password-1',
      tls: false,
      allowPlain: true,
    });
    expect((await findAnything(t().app, w.operator, { q: '10.9.8' })).routers.map((r) => r.name)).toEqual([
      'Kibera tower',
    ]);
    const other = await t().newTenant();
    const theirs = await findAnything(t().app, other.actor, { q: '10.9.8' });
    expect(theirs).toMatchObject({ codes: [], subscribers: [], routers: [] });
  });

  it('refuses agents: they never search the tenant', async () => {
    await expect(findAnything(t().app, w.agentActor, { q: 'abcd' })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });
});

describe('a code’s page', () => {
  it('shows channel, state, plan, batch, agent, sessions and MAC, and extends a started code by hours', async () => {
    const [code] = await sellAt([new Date().toISOString()]);
    if (!code) throw new Error('no code');
    const [row] = await t().app.db.select().from(vouchers).where(eq(vouchers.code, code));
    if (!row) throw new Error('no row');
    const { nasId } = await newNasFor(w);
    await t()
      .app.db.insert(radiusSessions)
      .values({
        tenantId: w.operator.tenantId,
        nasId,
        voucherId: row.id,
        sessionKey: `k-${code}`,
        acctSessionId: `k-${code}`,
        userName: code,
        callingStationId: 'AA-BB-CC-DD-EE-01',
        startedAt: new Date(),
        lastUpdateAt: new Date(),
        sessionTime: 60,
        inputOctets: 1000n,
        outputOctets: 5000n,
      });
    await t()
      .app.db.update(vouchers)
      .set({ firstUsedAt: sql`now()`, expiresAt: sql`now() + interval '1 hour'` })
      .where(eq(vouchers.id, row.id));

    const page = await voucherByCode(t().app, w.operator, { code: formatVoucherCode(code).toLowerCase() });
    expect(page).toMatchObject({
      code,
      channel: 'leased',
      state: 'active',
      sold: true,
      usedSeconds: 60,
      usedOctets: 6000n,
      macs: ['AA-BB-CC-DD-EE-01'],
    });
    expect(page.plan.name).toBe(w.plan.name);
    expect(page.batch.id).toBe(w.batch.id);
    expect(page.agentName).toBeTruthy();
    expect(page.sessions).toHaveLength(1);
    // The audit trail links codes by id: the same page.
    expect((await voucherByCode(t().app, w.operator, { code: row.id })).code).toBe(code);
    // Found by the device's MAC too, whatever the separators.
    expect(
      (await findAnything(t().app, w.operator, { q: 'aabb.ccdd.ee01' })).codes.map((c) => c.code),
    ).toEqual([code]);

    const before = page.expiresAt?.getTime() ?? 0;
    const after = await extendCode(t().app, w.operator, { id: row.id, hours: 2 });
    expect((after.expiresAt?.getTime() ?? 0) - before).toBe(2 * 3_600_000);
    const audit = await listAudit(t().app, w.operator, { action: 'voucher.extend', entityId: row.id });
    expect(audit.rows).toHaveLength(1);
  });

  it('refuses to extend a code nobody has used, and a viewer may read but not extend', async () => {
    const [code] = await t()
      .app.db.select()
      .from(vouchers)
      .where(sql`${vouchers.batchId} = ${w.batch.id} and ${vouchers.firstUsedAt} is null`)
      .limit(1);
    if (!code) throw new Error('no code');
    await expect(extendCode(t().app, w.operator, { id: code.id, hours: 1 })).rejects.toMatchObject({
      code: 'VOUCHER.NOT_STARTED',
    });
    const viewer = { ...w.operator, role: 'viewer' as const };
    await expect(voucherByCode(t().app, viewer, { code: code.code })).resolves.toMatchObject({
      code: code.code,
    });
    await expect(extendCode(t().app, viewer, { id: code.id, hours: 1 })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    await expect(voucherByCode(t().app, w.agentActor, { code: code.code })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    await expect(voucherByCode(t().app, w.operator, { code: 'ZZZZ-ZZZZ' })).rejects.toMatchObject({
      code: 'VOUCHER.NOT_FOUND',
    });
  });
});

async function newNasFor(aw: AgentWorld) {
  const { createNas } = await import('../nas/nas.service.ts');
  const { nas } = await createNas(t().app, aw.operator, {
    name: `nas-${Math.random()}`,
    address: '127.0.0.2',
    secret: 'nas-secret-123',
  });
  return { nasId: nas.id };
}

describe('online users', () => {
  it('lists open sessions of every NAS with filters, and a kick reaches the router as a Disconnect-Request', async () => {
    const tenant = await newRadiusTenant(world);
    const plan = await createPlan(tenant.app, tenant.actor, {
      name: 'Home',
      downloadBps: 1e7,
      uploadBps: 2e6,
      priceMinor: 1n,
      currency: 'KES',
    });
    const s = await createSubscriber(tenant.app, tenant.actor, {
      username: 'otieno',
      password: 'secret-pass-2',
      planId: plan.id,
    });
    await insertLiveSession({ tenant, subscriberId: s.id, user: 'otieno', key: 'online-1' });
    await insertLiveSession({ tenant, subscriberId: s.id, user: 'otieno2', key: 'online-2' });
    const all = await listOnline(tenant.app, tenant.actor, {});
    expect(all.total).toBe(2);
    expect(all.nas.map((n) => n.name)).toEqual(['loopback']);
    const one = await listOnline(tenant.app, tenant.actor, {
      q: 'OTIENO2',
      kind: 'subscriber',
      nasId: tenant.nasId,
    });
    expect(one.rows.map((r) => r.userName)).toEqual(['otieno2']);
    expect((await listOnline(tenant.app, tenant.actor, { kind: 'voucher' })).rows).toEqual([]);
    const page = await listOnline(tenant.app, tenant.actor, { limit: 1 });
    const next = await listOnline(tenant.app, tenant.actor, {
      limit: 1,
      before: page.nextBefore ?? undefined,
    });
    expect([...page.rows, ...next.rows].map((r) => r.userName).sort()).toEqual(['otieno', 'otieno2']);

    const target = one.rows[0];
    if (!target) throw new Error('no row');
    const result = await kickSession(tenant.app, tenant.actor, target.id);
    expect(result.status).toBe('ack');
    expect(world.router.disconnects.map((d) => d.user)).toContain('otieno2');
    const viewer = { ...tenant.actor, role: 'viewer' as const };
    await expect(listOnline(tenant.app, viewer, {})).resolves.toMatchObject({ total: 2 });
    await expect(kickSession(tenant.app, viewer, target.id)).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });
});

describe('audit viewer', () => {
  it('filters by person, action, object and the tenant’s days, newest first, one keyset page at a time', async () => {
    const { actor } = await t().newTenant();
    await t()
      .app.db.update(tenants)
      .set({ timezone: 'Africa/Nairobi' })
      .where(eq(tenants.id, actor.tenantId));
    const plan = await createPlan(t().app, actor, {
      name: 'Day',
      downloadBps: 1e6,
      uploadBps: 1e6,
      priceMinor: 1n,
      currency: 'KES',
    });
    const other = await addMember(t().app.db, {
      tenantId: actor.tenantId,
      email: 'ops@x.test',
      name: 'Ops',
      password: 'correct horse battery',
      role: 'operator',
    });
    const ops = { ...actor, userId: other.id, label: 'ops@x.test', role: 'operator' as const };
    await voidVouchers(t().app, ops, []);
    const all = await listAudit(t().app, actor, {});
    expect(all.timezone).toBe('Africa/Nairobi');
    expect(
      (await listAudit(t().app, actor, { person: 'OPS@' })).rows.every((r) => r.actor === 'ops@x.test'),
    ).toBe(true);
    expect((await listAudit(t().app, actor, { person: 'OPS@' })).rows).toHaveLength(1);
    expect((await listAudit(t().app, actor, { action: 'plan.' })).rows.map((r) => r.entityId)).toEqual([
      plan.id,
    ]);
    expect((await listAudit(t().app, actor, { entityType: 'plan', entityId: plan.id })).rows).toHaveLength(1);
    // 22:30 UTC on 1 March is 2 March in Nairobi.
    const [row] = all.rows;
    if (!row) throw new Error('no row');
    await t().app.db.execute(sql`update audit_log set at = '2026-03-01T22:30:00Z' where id = ${row.id}`);
    expect(
      (await listAudit(t().app, actor, { fromDay: '2026-03-02', toDay: '2026-03-02' })).rows.map((r) => r.id),
    ).toEqual([row.id]);
    expect((await listAudit(t().app, actor, { fromDay: '2026-03-01', toDay: '2026-03-01' })).rows).toEqual(
      [],
    );
    const first = await listAudit(t().app, actor, { limit: 1 });
    const second = await listAudit(t().app, actor, { limit: 1, before: first.nextBefore ?? undefined });
    expect(second.rows[0]?.id).toBeLessThan(first.rows[0]?.id ?? 0n);
    await expect(listAudit(t().app, ops, {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });
});

describe('sales by channel on the tenant’s calendar', () => {
  it('puts a sale at 22:30 UTC on 6 December on 7 December in Nairobi', async () => {
    await t()
      .app.db.update(tenants)
      .set({ timezone: 'Africa/Nairobi' })
      .where(eq(tenants.id, w.operator.tenantId));
    await sellAt(['2026-12-06T22:30:00.000Z']);
    const report = await salesByChannel(t().app, w.operator, { fromDay: '2026-12-06', toDay: '2026-12-07' });
    expect(report.timezone).toBe('Africa/Nairobi');
    expect(report.rows.map((r) => [r.day, r.channel, r.planName, r.count, r.amountMinor])).toEqual([
      ['2026-12-07', 'agent', w.plan.name, 1, 1000n],
    ]);
    await expect(salesByChannel(t().app, w.agentActor, {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });
});

describe('CSV route', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const handler = csvRouteHandler(t().app, consoleCsvLists(t().app));
    server = createServer((req, res) => {
      if (req.url?.startsWith(CSV_PATH_PREFIX)) void handler(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('streams a list as CSV for a signed-in operator, formulas defused, and refuses the rest', async () => {
    const { actor, ownerEmail, ownerPassword } = await t().newTenant();
    const plan = await createPlan(t().app, actor, {
      name: 'Evil',
      downloadBps: 1e6,
      uploadBps: 1e6,
      priceMinor: 1n,
      currency: 'KES',
    });
    await createSubscriber(t().app, actor, {
      username: 'evil',
      password: 'secret-pass-3',
      planId: plan.id,
      fullName: '=HYPERLINK("http://x")',
    });
    const token = await signIn(t().app, ownerEmail, ownerPassword);
    const get = (path: string, tok: string | null = token) =>
      fetch(`${base}${path}`, { headers: tok ? { cookie: `${SESSION_COOKIE}=${tok}` } : {} });
    const res = await get('/csv/subscribers.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="subscribers-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte-order mark first: Excel then reads the file as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      'username,plan,service,status,name,phone,email,mac,static_ip,expires_at,router,online,tags,created_at',
    );
    expect(text).toContain(`evil,Evil,any,active,"'=HYPERLINK(""http://x"")"`);
    const audit = await listAudit(t().app, actor, { action: 'csv.export' });
    expect(audit.rows.map((r) => r.entityType)).toEqual(['subscribers']);

    expect((await get('/csv/audit.csv?action=plan.')).status).toBe(200);
    expect((await get('/csv/sales.csv?fromDay=2026-13-01')).status).toBe(400);
    expect((await get('/csv/subscribers.csv', null)).status).toBe(401);
    expect((await get('/csv/nothing.csv')).status).toBe(404);
    await addMember(t().app.db, {
      tenantId: actor.tenantId,
      email: 'v@x.test',
      name: 'V',
      password: 'correct horse battery',
      role: 'viewer',
    });
    const viewerToken = await signIn(t().app, 'v@x.test', 'correct horse battery');
    expect((await get('/csv/audit.csv', viewerToken)).status).toBe(403);
    expect((await get('/csv/online.csv', viewerToken)).status).toBe(200);
  });
});
