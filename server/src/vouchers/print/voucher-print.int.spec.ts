// Printing over real HTTP on a real database: a print run takes stock codes, its PDF carries
// every one of them (both layouts), a reprint the same ones; tenant scoping, the session
// cookie, roles and the audit rows.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, vouchers } from '@kasi/db';
import { formatVoucherCode } from '@kasi/domain';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { createHttpServer } from '../../http/http-server.ts';
import { login } from '../../auth/auth.service.ts';
import { createPlan } from '../../plans/plan.service.ts';
import { addMember } from '../../tenants/tenant.service.ts';
import { createVoucherBatch } from '../voucher.service.ts';
import { createPrintRun } from './print-run.service.ts';
import { pdfPageCount, pdfTextRuns } from './pdf-text.testing.ts';

let t: TestApp;
let server: Server;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  server = createHttpServer(t.app, tmpdir());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

const cookieFor = async (email: string, password: string) =>
  `kasi_session=${(await login(t.app, { email, password, ip: '127.0.0.1', userAgent: null })).token}`;

async function operatorWithBatch(quantity: number) {
  const tenant = await t.newTenant();
  const plan = await createPlan(t.app, tenant.actor, {
    name: 'Day pass',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 86_400,
    priceMinor: 5000n,
    currency: 'KES',
  });
  const batch = await createVoucherBatch(t.app, tenant.actor, { planId: plan.id, quantity, prefix: 'KA' });
  return { ...tenant, batch, cookie: await cookieFor(tenant.ownerEmail, tenant.ownerPassword) };
}

const print = (runId: string, query: string, cookie?: string) =>
  fetch(`${base}/print/runs/${runId}.pdf?${query}`, { headers: cookie ? { cookie } : {} });

const codesOfRun = async (runId: string) =>
  (await t.app.db.select({ code: vouchers.code }).from(vouchers).where(eq(vouchers.printRunId, runId))).map(
    (v) => v.code,
  );

describe('voucher printing', () => {
  it('prints a run on A4 sheets and one on 58 mm receipts with every code and the brand', async () => {
    const op = await operatorWithBatch(80);
    const options = { brand: 'Mama Net', footer: 'Help: 0700 000 000', hotspotUrl: 'https://wifi.example' };
    for (const [layout, count, pages] of [
      ['a4', 50, 3],
      ['thermal58', 30, 30],
    ] as const) {
      const run = await createPrintRun(t.app, op.actor, { batchId: op.batch.id, layout, count, ...options });
      const res = await print(run.id, '', op.cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPageCount(pdf)).toBe(pages);
      const runs = pdfTextRuns(pdf);
      const codes = await codesOfRun(run.id);
      expect(codes).toHaveLength(count);
      for (const code of codes) expect(runs).toContain(formatVoucherCode(code));
      expect(runs.filter((r) => r === 'Mama Net')).toHaveLength(count);
      expect(runs.filter((r) => r === 'Help: 0700 000 000')).toHaveLength(count);
      expect(runs).toContain('50.00 KES');
    }
    // The batch is empty now: 80 codes, 80 printed.
    const refused = await createPrintRun(t.app, op.actor, {
      batchId: op.batch.id,
      layout: 'a4',
      count: 1,
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VOUCHER.NOT_ENOUGH_STOCK' });
    const audits = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, op.actor.tenantId), eq(auditLog.entityType, 'voucher_print_run')));
    expect(audits.map((a) => a.action).sort()).toEqual([
      'voucher_print_run.create',
      'voucher_print_run.create',
      'voucher_print_run.print',
      'voucher_print_run.print',
    ]);
  });

  it('reprints the same codes and records the reprint', async () => {
    const op = await operatorWithBatch(12);
    const run = await createPrintRun(t.app, op.actor, {
      batchId: op.batch.id,
      layout: 'thermal58',
      count: 4,
    });
    const first = pdfTextRuns(Buffer.from(await (await print(run.id, '', op.cookie)).arrayBuffer()));
    await createPrintRun(t.app, op.actor, { batchId: op.batch.id, layout: 'thermal58', count: 4 });
    const again = pdfTextRuns(Buffer.from(await (await print(run.id, 'reprint=1', op.cookie)).arrayBuffer()));
    const codes = (await codesOfRun(run.id)).map(formatVoucherCode);
    expect(first.filter((r) => codes.includes(r)).sort()).toEqual([...codes].sort());
    expect(again.filter((r) => codes.includes(r)).sort()).toEqual([...codes].sort());
    const [reprint] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, op.actor.tenantId), eq(auditLog.action, 'voucher_print_run.reprint')));
    expect(reprint?.entityId).toBe(run.id);
  });

  it('answers 404 for another tenant’s run, 401 without a session, 403 for a viewer', async () => {
    const a = await operatorWithBatch(2);
    const b = await operatorWithBatch(1);
    const run = await createPrintRun(t.app, a.actor, { batchId: a.batch.id, layout: 'a4', count: 1 });
    expect((await print(run.id, '', b.cookie)).status).toBe(404);
    expect((await print(run.id, '')).status).toBe(401);
    expect((await print(run.id, '', 'kasi_session=forged')).status).toBe(401);
    expect((await print('not-a-uuid', '', a.cookie)).status).toBe(404);
    await addMember(t.app.db, {
      tenantId: a.actor.tenantId,
      email: `viewer@${a.actor.tenantId}.test`,
      name: 'Viewer',
      password: 'viewer password 1',
      role: 'viewer',
    });
    const viewer = await cookieFor(`viewer@${a.actor.tenantId}.test`, 'viewer password 1');
    expect((await print(run.id, '', viewer)).status).toBe(403);
  });
});
