// pnpm bench:billing — the billing run for 50,000 subscribers (invoices, lines, ledger entries
// and reminder jobs written) and a second run for the same day (0 new rows), against absolute
// targets, on a fresh database. Each of the runs bills its own tenant of 50,000 accounts, so
// every first run starts from the same state. Writes bench/results/billing.json.
import { execSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { freshBenchDatabase, runStats, withAdmin } from '../support/bench-run.ts';
import { connect, runMigrations } from '@kasi/db';
import { testAppOn, type TestApp } from '../../server/src/testing/test-app-factory.ts';
import { createPlan } from '../../server/src/plans/plan.service.ts';
import { runBilling } from '../../server/src/billing/billing-run.ts';
import { busyPercent, cpuPressure, describeMachine, loadAverage } from '../vouchers/machine.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 50_000);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const DAY = '2026-12-01';
const DATABASE = 'kasi_bench_billing';
const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const resultPath = resolve(import.meta.dirname, '../results/billing.json');

const admin = <T>(fn: (q: postgres.Sql) => Promise<T>) => withAdmin(adminUrl, fn);

async function seedTenant(t: TestApp): Promise<string> {
  const { actor } = await t.newTenant();
  const plan = await createPlan(t.app, actor, {
    name: 'Home 10M',
    downloadBps: 10_000_000,
    uploadBps: 2_000_000,
    priceMinor: 250_000n,
    currency: 'KES',
    audience: 'subscriber',
    installationFeeMinor: 100_000n,
  });
  // The accounts themselves are bulk-inserted: what is measured is the run, not the seeding.
  // The password is a placeholder (the run never reads it).
  await t.app.db.execute(sql`
    insert into subscribers (tenant_id, username, password_enc, plan_id, created_at)
    select ${actor.tenantId}, 'bench-' || g, 'bench', ${plan.id}, ${`${DAY}T08:00:00Z`}::timestamptz
    from generate_series(1, ${SUBSCRIBERS}) g`);
  await t.app.db.execute(sql`analyze`);
  return actor.tenantId;
}

const rowCount = async (t: TestApp, tenantId: string) => {
  const [r] = await t.app.db.execute<{ n: number }>(sql`
    select ((select count(*) from invoices where tenant_id = ${tenantId})
      + (select count(*) from invoice_lines where tenant_id = ${tenantId})
      + (select count(*) from ledger_entries where tenant_id = ${tenantId}))::int as n`);
  return r?.n ?? 0;
};

const stats = (xs: number[]) => runStats(xs, 2);

const loadAverageBefore = loadAverage();
const busyBefore = await busyPercent();
const pressureBefore = await cpuPressure();
console.log(`load average ${loadAverageBefore.join(' ')}; CPU ${busyBefore}% busy before the run`);
const fresh = await freshBenchDatabase(adminUrl, DATABASE);
const pgVersion = fresh.pgVersion;
const url = new URL(fresh.url);
const first: number[] = [];
const second: number[] = [];
const issued: number[] = [];
const secondRows: number[] = [];
try {
  const handle = connect(url.toString(), { max: 10, applicationName: 'kasi-bench-billing' });
  await runMigrations(handle);
  const t = testAppOn({ handle, url: url.toString(), close: () => handle.close(), name: 'bench' });
  try {
    for (let i = 0; i < RUNS; i++) {
      const tenantId = await seedTenant(t);
      let start = performance.now();
      const r1 = await runBilling(t.app, { tenantId, day: DAY });
      first.push((performance.now() - start) / 1000);
      issued.push(r1.issued);
      const before = await rowCount(t, tenantId);
      start = performance.now();
      const r2 = await runBilling(t.app, { tenantId, day: DAY });
      second.push((performance.now() - start) / 1000);
      secondRows.push((await rowCount(t, tenantId)) - before + r2.issued);
      console.log(
        `run ${i + 1}: first ${first.at(-1)!.toFixed(2)} s (${r1.issued} invoices), second ${second.at(-1)!.toFixed(2)} s (${secondRows.at(-1)} new rows)`,
      );
    }
  } finally {
    await t.close();
  }
} finally {
  await admin((q) => q`drop database if exists ${q(DATABASE)} with (force)`);
}

const firstStats = stats(first);
const secondStats = stats(second);
const target = (met: boolean, target: string, actual: number) => ({ target, actual, met });
const targets = {
  firstRunSeconds50k: target(firstStats.median < 30, '< 30', firstStats.median),
  secondRunSeconds50k: target(secondStats.median < 5, '< 5', secondStats.median),
  invoicesIssuedPerRun: target(
    issued.every((n) => n === SUBSCRIBERS),
    `= ${SUBSCRIBERS}`,
    Math.min(...issued),
  ),
  secondRunNewRows: target(
    secondRows.every((n) => n === 0),
    '= 0',
    Math.max(...secondRows),
  ),
};
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {
  // Not a checkout: the report still stands.
}
// pnpm bench:restore writes its own section and targets into the same file: keep them.
const previous = JSON.parse(await readFile(resultPath, 'utf8').catch(() => '{}')) as {
  restore?: unknown;
  targets?: Record<string, unknown>;
};
const restoreTargets = Object.fromEntries(
  Object.entries(previous.targets ?? {}).filter(
    ([k]) => k in { paymentToRestoreP99Ms: 1, restoresEachDisconnectedOnce: 1 },
  ),
);
const report = {
  benchmark: 'billing',
  generatedAt: new Date().toISOString(),
  subscribers: SUBSCRIBERS,
  machine: {
    ...describeMachine(pgVersion),
    loadAverageBefore,
    loadAverageAfter: loadAverage(),
    busyPercentBefore: busyBefore,
    cpuPressureBefore: pressureBefore,
    cpuPressureAfter: await cpuPressure(),
  },
  source: { commit },
  firstRunSeconds: firstStats,
  secondRunSeconds: secondStats,
  targets: { ...targets, ...restoreTargets },
  ...(previous.restore !== undefined && { restore: previous.restore }),
  note: 'Each run bills a fresh tenant of prepaid monthly accounts on their first day (plan + installation line, ledger entry, numbered, reminder job); the second run is the same day again. Absolute targets; no peer measured.',
};
await writeFile(resultPath, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(targets, null, 2), `\nwrote ${resultPath}`);
if (!Object.values(targets).every((x) => x.met)) process.exitCode = 1;
