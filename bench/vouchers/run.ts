// pnpm bench:vouchers — voucher generation, card printing and agent sale sync against
// absolute targets, on a fresh database. Run on demand; not part of the test run.
// Writes bench/results/vouchers.json.
import { resolve } from 'node:path';
import { createBenchApp } from './bench-app.ts';
import { dropBenchDatabase, postgresVersion, recreateBenchDatabase } from './bench-database.ts';
import { busyPercent, cpuPressure, describeMachine, loadAverage } from './machine.ts';
import { formatTable, judge, writeReport } from './report.ts';
import { measureGenerate, measurePush, measureRender, type Measurement } from './scenarios.ts';

const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const resultPath = resolve(import.meta.dirname, '../results/vouchers.json');

const loadAverageBefore = loadAverage();
const busyBefore = await busyPercent();
const pressureBefore = await cpuPressure();
console.log(
  `load average ${loadAverageBefore.join(' ')}; CPU ${busyBefore}% busy, pressure ${pressureBefore}% before the run`,
);
const machine = describeMachine(await postgresVersion(adminUrl));
const url = await recreateBenchDatabase(adminUrl);
const results: Measurement[] = [];
try {
  const t = await createBenchApp(url);
  try {
    const generated = await measureGenerate(t, 100_000);
    results.push(generated.measurement);
    results.push(await measureRender(t, generated.actor, generated.batchId, 1_000));
    results.push(...(await measurePush(t, 1_000, 50)));
  } finally {
    await t.close();
  }
} finally {
  await dropBenchDatabase(adminUrl);
}

const judged = results.map(judge);
const pass = judged.every((r) => r.pass);
await writeReport(resultPath, {
  benchmark: 'vouchers',
  generatedAt: new Date().toISOString(),
  machine: {
    ...machine,
    loadAverageBefore,
    loadAverageAfter: loadAverage(),
    busyPercentBefore: busyBefore,
    cpuPressureBefore: pressureBefore,
    cpuPressureAfter: await cpuPressure(),
  },
  results: judged,
  pass,
  note: 'Absolute targets; no peer measured. Shared machine: cpuPressure is the % of time runnable tasks waited for a core.',
});
console.log(`\n${formatTable(judged)}\n\nload average after ${loadAverage().join(' ')}; wrote ${resultPath}`);
if (!pass) process.exitCode = 1;
