// The three measurements, each through the real service code: generating codes into the
// database, rendering printable cards, and applying agents' queued sales.
import { count, eq } from 'drizzle-orm';
import { vouchers } from '@kasi/db';
import { DEFAULT_HOTSPOT_URL, MAX_PUSH_OPS, type SignedSaleOp } from '@kasi/domain';
import type { Actor } from '../../server/src/app-context.ts';
import type { TestApp } from '../../server/src/testing/test-app-factory.ts';
import { newAgentWorld, type TestDevice } from '../../server/src/agents/agent.testing.ts';
import { createPlan } from '../../server/src/plans/plan.service.ts';
import { pushOps } from '../../server/src/sync/sync.service.ts';
import { createVoucherBatch, listBatchVouchers } from '../../server/src/vouchers/voucher.service.ts';
import { cardFace, cardSheet } from '../../server/src/vouchers/print/voucher-card.ts';
import { renderVoucherPdf } from '../../server/src/vouchers/print/voucher-pdf.ts';

export interface Measurement {
  name: string;
  seconds: number;
  targetSeconds: number;
  detail: Record<string, number | string>;
}

const PLAN = {
  name: 'Bench day pass',
  downloadBps: 5_000_000,
  uploadBps: 1_000_000,
  validitySeconds: 86_400,
  priceMinor: 5000n,
  currency: 'KES',
};

/** Wall time, and this process's CPU time: the rest is PostgreSQL or waiting for a core. */
async function timed<T>(fn: () => Promise<T>) {
  const began = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return {
    value,
    seconds: Math.round(performance.now() - began) / 1000,
    nodeCpuSeconds: Math.round((used.user + used.system) / 1000) / 1000,
  };
}

export async function measureGenerate(t: TestApp, quantity: number) {
  const { actor } = await t.newTenant();
  const plan = await createPlan(t.app, actor, PLAN);
  const {
    value: batch,
    seconds,
    nodeCpuSeconds,
  } = await timed(() => createVoucherBatch(t.app, actor, { planId: plan.id, quantity }));
  const [stored] = await t.app.db.select({ n: count() }).from(vouchers).where(eq(vouchers.batchId, batch.id));
  if (stored?.n !== quantity) throw new Error(`expected ${quantity} codes, found ${stored?.n}`);
  const measurement: Measurement = {
    name: `generate ${quantity.toLocaleString('en')} vouchers`,
    seconds,
    targetSeconds: 5,
    detail: { codesPerSecond: Math.round(quantity / seconds), nodeCpuSeconds },
  };
  return { measurement, actor, batchId: batch.id };
}

export async function measureRender(t: TestApp, actor: Actor, batchId: string, cards: number) {
  const { rows } = await listBatchVouchers(t.app, actor, batchId, { limit: cards, offset: 0 });
  const options = { brand: 'Bench WiFi', footer: 'Help: 0700', hotspotUrl: DEFAULT_HOTSPOT_URL };
  const sheet = cardSheet('Bench', PLAN, options);
  const faces = rows.map((r) => cardFace(r.code, options.hotspotUrl));
  // One untimed page first: a running server has compiled the drawing code already.
  await renderVoucherPdf({ layout: 'a4', sheet, faces: faces.slice(0, 21), title: 'warm-up' });
  const {
    value: pdf,
    seconds,
    nodeCpuSeconds,
  } = await timed(() => renderVoucherPdf({ layout: 'a4', sheet, faces, title: 'bench' }));
  const measurement: Measurement = {
    name: `render ${cards.toLocaleString('en')} A4 cards to PDF`,
    seconds,
    targetSeconds: 3,
    detail: {
      pages: Math.ceil(cards / 21),
      megabytes: Math.round(pdf.length / 10_000) / 100,
      nodeCpuSeconds,
    },
  };
  return measurement;
}

interface QueuedDevice {
  actor: Actor;
  device: TestDevice;
  ops: SignedSaleOp[];
}

/** Leases codes to a device and signs one sale per code, as the PWA's outbox holds them. */
async function queueSales(world: Awaited<ReturnType<typeof newAgentWorld>>, actor: Actor, sales: number) {
  const device = await world.newDevice(actor);
  const codes = await world.lease(device, sales);
  const ops = await Promise.all(codes.map((code, i) => device.sale(code, i + 1)));
  return { actor, device, ops };
}

/** The PWA flushes its outbox in chunks of MAX_PUSH_OPS; every op must be applied. */
async function flush(t: TestApp, q: QueuedDevice): Promise<void> {
  for (let i = 0; i < q.ops.length; i += MAX_PUSH_OPS) {
    const { results } = await pushOps(t.app, q.actor, {
      deviceId: q.device.id,
      ops: q.ops.slice(i, i + MAX_PUSH_OPS),
    });
    const notApplied = results.filter((r) => r.result !== 'applied');
    if (notApplied.length) throw new Error(`push not applied: ${JSON.stringify(notApplied[0])}`);
  }
}

export async function measurePush(t: TestApp, sales: number, devices: number): Promise<Measurement[]> {
  const perDevice = Math.ceil(sales / devices);
  const world = await newAgentWorld(t, { codes: sales * 2, creditLimitMinor: 1_000_000_000n });
  const single = await queueSales(world, world.agentActor, sales);
  const many: QueuedDevice[] = [];
  for (let i = 0; i < devices; i++) {
    const { actor } = await world.newAgent(1_000_000_000n);
    many.push(await queueSales(world, actor, perDevice));
  }
  const one = await timed(() => flush(t, single));
  const all = await timed(() => Promise.all(many.map((q) => flush(t, q))));
  const total = perDevice * devices;
  return [
    {
      name: `push ${sales.toLocaleString('en')} queued sales, one device`,
      seconds: one.seconds,
      targetSeconds: 5,
      detail: {
        opsPerSecond: Math.round(sales / one.seconds),
        pushes: Math.ceil(sales / MAX_PUSH_OPS),
        nodeCpuSeconds: one.nodeCpuSeconds,
      },
    },
    {
      name: `push ${total.toLocaleString('en')} sales, ${devices} devices at once`,
      seconds: all.seconds,
      targetSeconds: 5,
      detail: {
        opsPerSecond: Math.round(total / all.seconds),
        salesPerDevice: perDevice,
        nodeCpuSeconds: all.nodeCpuSeconds,
      },
    },
  ];
}
