// Printing over real HTTP on a real database: both layouts, tenant scoping, the session
// cookie and the audit row.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@kasi/db';
import { formatVoucherCode } from '@kasi/domain';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { createHttpServer } from '../../http/http-server.ts';
import { login } from '../../auth/auth.service.ts';
import { createPlan } from '../../plans/plan.service.ts';
import { createVoucherBatch, listBatchVouchers, voidVouchers } from '../voucher.service.ts';
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
  const { token } = await login(t.app, {
    email: tenant.ownerEmail,
    password: tenant.ownerPassword,
    ip: '127.0.0.1',
    userAgent: null,
  });
  const { rows } = await listBatchVouchers(t.app, tenant.actor, batch.id, { limit: 1000, offset: 0 });
  return { ...tenant, batch, cookie: `kasi_session=${token}`, codes: rows };
}

const print = (batchId: string, query: string, cookie?: string) =>
  fetch(`${base}/print/vouchers/${batchId}.pdf?${query}`, { headers: cookie ? { cookie } : {} });

describe('voucher printing', () => {
  it('prints a 50-code batch on A4 sheets and 58 mm receipts with every code and brand', async () => {
    const op = await operatorWithBatch(50);
    const query = 'brand=Mama+Net&footer=Help%3A+0700+000+000&hotspot=https://wifi.example';
    for (const [layout, pages] of [
      ['a4', 3],
      ['thermal58', 50],
    ] as const) {
      const res = await print(op.batch.id, `layout=${layout}&${query}`, op.cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPageCount(pdf)).toBe(pages);
      const runs = pdfTextRuns(pdf);
      for (const v of op.codes) expect(runs).toContain(formatVoucherCode(v.code));
      expect(runs.filter((r) => r === 'Mama Net')).toHaveLength(50);
      expect(runs.filter((r) => r === 'Help: 0700 000 000')).toHaveLength(50);
      expect(runs).toContain('50.00 KES');
    }
    const audits = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, op.actor.tenantId), eq(auditLog.action, 'voucher_batch.print')));
    expect(audits.map((a) => a.after)).toEqual([
      { layout: 'a4', offset: 0, cards: 50, hotspotUrl: 'https://wifi.example' },
      { layout: 'thermal58', offset: 0, cards: 50, hotspotUrl: 'https://wifi.example' },
    ]);
  });

  it('leaves voided codes off the sheet and prints large batches in slices', async () => {
    const op = await operatorWithBatch(5);
    const [gone, ...kept] = op.codes;
    await voidVouchers(t.app, op.actor, [gone?.id ?? '']);
    const printed = async (query: string) =>
      pdfTextRuns(Buffer.from(await (await print(op.batch.id, query, op.cookie)).arrayBuffer()));
    const codesIn = (runs: string[]) => kept.filter((v) => runs.includes(formatVoucherCode(v.code)));
    const all = await printed('layout=thermal58');
    expect(all).not.toContain(formatVoucherCode(gone?.code ?? ''));
    expect(codesIn(all)).toEqual(kept);
    expect(codesIn(await printed('layout=thermal58&offset=1&limit=2'))).toEqual(kept.slice(1, 3));
  });

  it('answers 404 for another tenant’s batch, 401 without a session, 400 for a bad hotspot', async () => {
    const a = await operatorWithBatch(2);
    const b = await operatorWithBatch(1);
    expect((await print(a.batch.id, '', b.cookie)).status).toBe(404);
    expect((await print(a.batch.id, '')).status).toBe(401);
    expect((await print(a.batch.id, '', 'kasi_session=forged')).status).toBe(401);
    expect((await print(a.batch.id, 'hotspot=javascript:alert(1)', a.cookie)).status).toBe(400);
    expect((await print('not-a-uuid', '', a.cookie)).status).toBe(404);
  });
});
