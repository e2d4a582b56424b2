// One channel per code, on a real database: print runs, leases and test holds draw only from
// stock, all at once without sharing a code; used codes are never drawn; a reprint prints the
// same codes; the counts say which channel every code is in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { vouchers } from '@kasi/db';
import { isDomainError } from '@kasi/domain';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { requestLease } from '../agents/lease.service.ts';
import { pushOps } from '../sync/sync.service.ts';
import { createPrintRun, listPrintRuns, renderPrintRun } from './print/print-run.service.ts';
import { pdfTextRuns } from './print/pdf-text.testing.ts';
import { holdTestCode, listBatchVouchers, listVoucherBatches, voidVouchers } from './voucher.service.ts';
import { voucherFigures } from './voucher-figures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const channelsOf = async (batchId: string) =>
  t.app.db
    .select({ code: vouchers.code, channel: vouchers.channel, printRunId: vouchers.printRunId })
    .from(vouchers)
    .where(eq(vouchers.batchId, batchId));

const printedCodes = async (actor: Parameters<typeof renderPrintRun>[1], runId: string, reprint = false) => {
  const { pdf } = await renderPrintRun(t.app, actor, { runId, reprint, compress: false });
  const codes = pdfTextRuns(pdf).filter((r) => /^[0-9A-Z]{4}-[0-9A-Z]{4}(-[0-9A-Z]+)?$/.test(r));
  return codes.map((c) => c.replaceAll('-', '')).sort();
};

describe('voucher channels', () => {
  it('never gives one code to two of 20 concurrent print runs and leases', async () => {
    const w = await newAgentWorld(t, { codes: 120 });
    const second = await w.newAgent();
    const phones = [w.device, await w.newDevice(w.agentActor, 'phone 2'), await w.newDevice(second.actor)];
    const draws = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? createPrintRun(t.app, w.operator, { batchId: w.batch.id, layout: 'a4', count: 6 }).then(
              (run) => ({ kind: 'print' as const, id: run.id }),
            )
          : w.lease(phones[i % 3] ?? w.device, 6).then((codes) => ({ kind: 'lease' as const, codes })),
      ),
    );
    expect(draws.filter((d) => d.status === 'rejected')).toEqual([]);
    const rows = await channelsOf(w.batch.id);
    const byRun = new Map<string, string[]>();
    for (const r of rows)
      if (r.printRunId) byRun.set(r.printRunId, [...(byRun.get(r.printRunId) ?? []), r.code]);
    const leased = draws.flatMap((d) =>
      d.status === 'fulfilled' && d.value.kind === 'lease' ? d.value.codes : [],
    );
    const printed = [...byRun.values()].flat();
    expect(byRun.size).toBe(10);
    expect([...byRun.values()].every((codes) => codes.length === 6)).toBe(true);
    expect(leased).toHaveLength(60);
    // 120 codes handed out, each exactly once.
    expect(new Set([...leased, ...printed]).size).toBe(120);
    expect(
      rows
        .filter((r) => r.channel === 'leased')
        .map((r) => r.code)
        .sort(),
    ).toEqual([...leased].sort());
    expect(rows.filter((r) => r.channel === 'printed')).toHaveLength(60);
    const runs = await listPrintRuns(t.app, w.operator, w.batch.id);
    expect(runs.map((r) => r.run.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('draws no code a customer has logged in with, and says how many are left', async () => {
    const w = await newAgentWorld(t, { codes: 6 });
    const all = await w.allCodes();
    // Four codes were used (a card printed before Kasi kept runs, a leak): only two are drawable.
    await t.app.db
      .update(vouchers)
      .set({ status: 'active', firstUsedAt: new Date() })
      .where(
        inArray(
          vouchers.id,
          all.slice(0, 4).map((v) => v.id),
        ),
      );
    const refused = await createPrintRun(t.app, w.operator, {
      batchId: w.batch.id,
      layout: 'a4',
      count: 3,
    }).catch((e: unknown) => e);
    expect(isDomainError(refused) && refused.code).toBe('VOUCHER.NOT_ENOUGH_STOCK');
    expect(isDomainError(refused) && refused.details).toEqual({ available: 2 });
    // The agent's own request draws only stock (an operator's issue would make the missing one).
    await expect(
      requestLease(t.app, w.agentActor, { deviceId: w.device.id, planId: w.plan.id, count: 3 }),
    ).rejects.toMatchObject({ code: 'LEASE.NOT_ENOUGH_CODES' });
    // The refused draws took nothing.
    expect((await channelsOf(w.batch.id)).every((r) => r.channel === 'stock')).toBe(true);
    const leased = await w.lease(w.device, 2);
    expect(leased.sort()).toEqual(
      all
        .slice(4)
        .map((v) => v.code)
        .sort(),
    );
    await expect(holdTestCode(t.app, w.operator, w.batch.id)).rejects.toMatchObject({
      code: 'VOUCHER.NOT_ENOUGH_STOCK',
    });
  });

  it('reprints a run with the same codes and counts the reprint', async () => {
    const w = await newAgentWorld(t, { codes: 30 });
    const run = await createPrintRun(t.app, w.operator, {
      batchId: w.batch.id,
      layout: 'thermal58',
      count: 10,
      brand: 'Mama Net',
    });
    const first = await printedCodes(w.operator, run.id);
    expect(first).toHaveLength(10);
    // Printing more, and leasing, never touches run 1.
    await createPrintRun(t.app, w.operator, { batchId: w.batch.id, layout: 'a4', count: 5 });
    await w.lease(w.device, 5);
    expect(await printedCodes(w.operator, run.id, true)).toEqual(first);
    const rows = await channelsOf(w.batch.id);
    expect(
      rows
        .filter((r) => r.printRunId === run.id)
        .map((r) => r.code)
        .sort(),
    ).toEqual(first);
    const [latest, older] = await listPrintRuns(t.app, w.operator, w.batch.id);
    expect([latest?.run.number, older?.run.number]).toEqual([2, 1]);
    expect(older?.run).toMatchObject({ count: 10, reprints: 1, layout: 'thermal58' });
    expect(older?.run.options).toEqual({ brand: 'Mama Net', footer: '', hotspotUrl: 'http://hotspot.lan' });
    // A voided card is left off the reprint; the rest stay as they were.
    const [gone] = await t.app.db.select().from(vouchers).where(eq(vouchers.printRunId, run.id)).limit(1);
    await voidVouchers(t.app, w.operator, [gone?.id ?? '']);
    expect(await printedCodes(w.operator, run.id, true)).toEqual(first.filter((c) => c !== gone?.code));
  });

  it('counts each channel honestly: test logins are not sales, printed codes sell at first login', async () => {
    const w = await newAgentWorld(t, { codes: 40 });
    const run = await createPrintRun(t.app, w.operator, { batchId: w.batch.id, layout: 'a4', count: 10 });
    const leased = await w.lease(w.device, 20);
    const test = await holdTestCode(t.app, w.operator, w.batch.id);
    // Two agent sales; a test login on the held code; three printed cards in use.
    const ops = [await w.device.sale(leased[0] ?? '', 1), await w.device.sale(leased[1] ?? '', 2)];
    await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops });
    const firstLogin = { status: 'active' as const, firstUsedAt: new Date() };
    await t.app.db.update(vouchers).set(firstLogin).where(eq(vouchers.id, test.id));
    const printed = (await channelsOf(w.batch.id)).filter((r) => r.printRunId === run.id).slice(0, 3);
    await t.app.db
      .update(vouchers)
      .set(firstLogin)
      .where(
        inArray(
          vouchers.code,
          printed.map((r) => r.code),
        ),
      );
    const expected = {
      total: 40,
      inStock: 9,
      printed: 10,
      withAgents: 18,
      heldForTests: 1,
      sold: 5,
      testLogins: 1,
      inUse: 4,
      usedUp: 0,
      expired: 0,
      void: 0,
      locked: 0,
    };
    const [batch] = await listVoucherBatches(t.app, w.operator);
    expect(batch?.figures).toEqual(expected);
    expect((await voucherFigures(t.app, w.operator, 'plan')).get(w.plan.id)).toEqual(expected);
    expect((await voucherFigures(t.app, w.operator, 'tenant')).get('')).toEqual(expected);
    const { rows } = await listBatchVouchers(t.app, w.operator, w.batch.id, { limit: 100, offset: 0 });
    const heldRow = rows.find((r) => r.id === test.id);
    expect(heldRow).toMatchObject({ channel: 'held', state: 'active', sold: false });
    expect(rows.find((r) => r.code === printed[0]?.code)).toMatchObject({
      channel: 'printed',
      printRun: 1,
      sold: true,
    });
  });

  it('keeps agents away from codes: no batch list, no code list, no printing', async () => {
    const w = await newAgentWorld(t, { codes: 5 });
    const run = await createPrintRun(t.app, w.operator, { batchId: w.batch.id, layout: 'a4', count: 2 });
    const forbidden = { code: 'AUTH.FORBIDDEN' };
    await expect(listVoucherBatches(t.app, w.agentActor)).rejects.toMatchObject(forbidden);
    await expect(
      listBatchVouchers(t.app, w.agentActor, w.batch.id, { limit: 10, offset: 0 }),
    ).rejects.toMatchObject(forbidden);
    await expect(listPrintRuns(t.app, w.agentActor, w.batch.id)).rejects.toMatchObject(forbidden);
    await expect(renderPrintRun(t.app, w.agentActor, { runId: run.id, reprint: true })).rejects.toMatchObject(
      forbidden,
    );
    await expect(
      createPrintRun(t.app, w.agentActor, { batchId: w.batch.id, layout: 'a4', count: 1 }),
    ).rejects.toMatchObject(forbidden);
  });
});
