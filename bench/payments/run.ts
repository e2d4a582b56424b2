// pnpm bench:payments — issue 13's two figures, against Kasi's real HTTP server (the same
// createHttpServer the server runs, with the payment routes) on a fresh database:
//  1. webhook ingest: Stripe events signed with `stripe.webhooks.generateTestHeaderString`
//     (through the Stripe fake's `delivery`) and M-Pesa STK callbacks, a share of them
//     duplicates, offered open-loop at BENCH_INGEST_RATE (2,000/s) by a separate process;
//     latency of each acknowledgement from its scheduled send time. Inbox write only: no
//     worker runs, the payment.apply jobs the new events enqueue just wait. Sustained runs of
//     BENCH_SUSTAINED_SECONDS (15 s) give the figure; runs of BENCH_INGEST_SECONDS (2 s), as
//     recorded before, are kept beside it. Each run also records the server's event-loop delay,
//     its GC pauses and the load generator's own lag, to tell where a tail comes from.
//     BENCH_RESTORES=0 runs the ingest part alone.
//  2. callback to restore: for subscribers suspended by the real billing run, each with a live
//     session and an M-Pesa push sent through a pay link, the paid callback is posted and the
//     clock runs until the Disconnect-Request for that subscriber reaches a UDP listener (the
//     router fake): inbox → payment.apply (woken by NOTIFY, confirms with an STK query against
//     the Daraja fake) → payment and ledger → subscriber.restore (woken by NOTIFY) → Disconnect.
// At least three runs of each; writes bench/results/payments.json.
import { execFile, execSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { freshBenchDatabase, quantile, runStats, withAdmin } from '../support/bench-run.ts';
import { connect, runMigrations } from '@kasi/db';
import { testAppOn, TEST_JOB_SETTINGS } from '../../server/src/testing/test-app-factory.ts';
import { startRouterFake } from '../../server/src/testing/router-fake.ts';
import { JobQueue } from '../../server/src/jobs/job-queue.ts';
import { JOB_KINDS } from '../../server/src/jobs/job-kinds.ts';
import { startWorkers } from '../../server/src/jobs/job-worker.ts';
import { bindBillingJobs } from '../../server/src/billing/billing-jobs-scope.ts';
import { billingHandlers } from '../../server/src/billing/billing-jobs.ts';
import { runBilling } from '../../server/src/billing/billing-run.ts';
import { addDays } from '../../server/src/billing/billing-calendar.ts';
import { updateDunningPolicy } from '../../server/src/billing/dunning-policy.service.ts';
import { createNas } from '../../server/src/nas/nas.service.ts';
import { createHttpServer } from '../../server/src/http/http-server.ts';
import { paymentRoutes } from '../../server/src/payments/payment-routes.ts';
import { paymentApplyHandler } from '../../server/src/payments/payment-apply.job.ts';
import { createPayLink } from '../../server/src/payments/pay-link.service.ts';
import { startFromLink } from '../../server/src/payments/payment-attempt.service.ts';
import { paymentDeps, paymentWorld, startPaymentFakes } from '../../server/src/payments/payment.testing.ts';
import { busyPercent, cpuPressure, describeMachine, loadAverage } from '../vouchers/machine.ts';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 2_000);
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 2);
const SUSTAINED_RUNS = Math.max(3, Number(process.env.BENCH_SUSTAINED_RUNS ?? 3));
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 15);
const DUPLICATE_SHARE = Number(process.env.BENCH_DUPLICATE_SHARE ?? 0.2);
const RESTORES = Number(process.env.BENCH_RESTORES ?? 100);
const RESTORE_RATE = Number(process.env.BENCH_RESTORE_RATE ?? 5);
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS ?? 5);
const DATABASE = 'kasi_bench_payments';
const SECRET = 'bench-payments-secret';
const DAY = '2026-12-01';
const PUBLIC_URL = 'https://kasi.example';
const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const resultPath = process.env.BENCH_RESULTS_FILE ?? resolve(import.meta.dirname, '../results/payments.json');

const admin = <T>(fn: (q: postgres.Sql) => Promise<T>) => withAdmin(adminUrl, fn);

const round = (x: number) => Math.round(x * 10) / 10;
const stats = (xs: number[]) => runStats(xs, 1);

const loadAverageBefore = loadAverage();
const busyBefore = await busyPercent();
const pressureBefore = await cpuPressure();
console.log(`load average ${loadAverageBefore.join(' ')}; CPU ${busyBefore}% busy before the run`);
const fresh = await freshBenchDatabase(adminUrl, DATABASE);
const pgVersion = fresh.pgVersion;
const url = new URL(fresh.url);

interface IngestRun {
  offered: number;
  acknowledged: number;
  achievedPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  stored: number;
  duplicates: number;
  /** CPU of the server's Node process (not PostgreSQL's) per acknowledged delivery. */
  serverCpuMicrosPerDelivery: number;
  /** Where the tail comes from: the server's event-loop delay and GC pauses during the run. */
  serverLoopDelayP99Ms: number;
  serverLoopDelayMaxMs: number;
  gc: { pauses: number; totalMs: number; maxMs: number };
  /** How late the load generator sent (its own lag, included in the latencies above). */
  sendLagP99Ms: number;
  /** p99 of the deliveries scheduled in the first half-second, and of each second. */
  p99FirstHalfSecond: number;
  p99BySecond: number[];
}
interface RestoreRun {
  restores: number;
  p50: number;
  p99: number;
  max: number;
  disconnects: number;
  lost: number;
}
const ingest: IngestRun[] = [];
const sustained: IngestRun[] = [];
let warmUpRun: IngestRun | null = null;
const restore: RestoreRun[] = [];
const work = await mkdtemp(join(tmpdir(), 'kasi-bench-payments-'));
const router = await startRouterFake({ secret: SECRET });
const fakes = await startPaymentFakes();
try {
  const handle = connect(url.toString(), { max: 12, applicationName: 'kasi-bench-payments' });
  await runMigrations(handle);
  console.log('migrated');
  const t = testAppOn({ handle, url: url.toString(), close: () => handle.close(), name: 'bench' });
  // The server's job queue: its poll (5 s by default) and its LISTEN connection.
  await t.app.jobs.stop();
  t.app.jobs = new JobQueue({
    connectionString: url.toString(),
    log: t.app.log,
    kinds: JOB_KINDS,
    settings: TEST_JOB_SETTINGS,
    pollingIntervalSeconds: POLL_SECONDS,
    listen: true,
  });
  bindBillingJobs(t.app.db, t.app.jobs);
  const deps = paymentDeps(t, fakes, PUBLIC_URL);
  t.app.payments = { publicUrl: PUBLIC_URL, endpoints: deps.endpoints };
  const w = await paymentWorld(t, deps);
  console.log('tenant with M-Pesa and Stripe ready');
  const server = createHttpServer(t.app, work, { payments: paymentRoutes(deps) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pathOf = (publicUrl: string) => publicUrl.replace(PUBLIC_URL, '');
  try {
    // 1. Ingest. Run 0 warms the server up (a server in service has long been JIT-compiled and
    // has its statements prepared on every connection): logged, not counted. Then the runs of
    // BENCH_INGEST_SECONDS (2 s, the figures recorded before) and the sustained runs of
    // BENCH_SUSTAINED_SECONDS (15 s): a 2 s run holds 40 deliveries past its p99, so one stall
    // or the first half-second (the load generator's fresh process opening its connections)
    // decides it, and it sees none or one of the periodic events of a server under steady load
    // (the webhook token's re-read every 5 s, old-generation GC).
    //
    // Every run's deliveries are made (signed) and written before the first is posted: made
    // in between, they were this process's garbage — the server's — and its first scavenges
    // in each run copied them (pauses of 10–27 ms the server itself did not cause). Stripe's
    // signatures stay valid for 5 minutes, longer than the whole ingest part.
    const prepare = async (name: string, seconds: number) => {
      const total = INGEST_RATE * seconds;
      const deliveries: { path: string; headers: Record<string, string>; body: string }[] = [];
      const unique = Math.round(total * (1 - DUPLICATE_SHARE));
      for (let i = 0; i < unique; i++) {
        if (i % 2 === 0) {
          const session = {
            id: `cs_bench_${name}_${i}`,
            object: 'checkout.session',
            client_reference_id: randomUUID(),
            payment_status: 'paid',
            amount_total: 150_000,
            currency: 'kes',
            livemode: false,
          };
          const d = fakes.stripe.delivery('checkout.session.completed', session, {
            eventId: `evt_bench_${name}_${i}`,
          });
          deliveries.push({
            path: pathOf(w.hookUrls.stripe),
            headers: d.headers,
            body: d.rawBody.toString(),
          });
        } else {
          deliveries.push({
            path: pathOf(w.hookUrls.stk),
            headers: { 'content-type': 'application/json' },
            body: fakes.daraja.callbackBody(`ws_CO_bench_${name}_${i}`, 0),
          });
        }
      }
      // Duplicates: earlier deliveries sent again, spread through the run (a provider retrying).
      const all = [...deliveries];
      for (let i = 0; all.length < total; i++) {
        const at = Math.floor(((i * 7919) % deliveries.length) + deliveries.length * 0.05);
        all.splice(Math.min(all.length, at + i), 0, deliveries[(i * 104729) % deliveries.length]!);
      }
      const file = join(work, `ingest-${name}.json`);
      await writeFile(file, JSON.stringify(all));
      return { name, file, offered: all.length, duplicates: all.length - deliveries.length };
    };
    const plan = [await prepare('warm-up', INGEST_SECONDS)];
    for (let run = 1; run <= RUNS; run++) plan.push(await prepare(`${run}`, INGEST_SECONDS));
    for (let run = 1; run <= SUSTAINED_RUNS; run++)
      plan.push(await prepare(`sustained-${run}`, SUSTAINED_SECONDS));

    for (const { name, file, offered, duplicates } of plan) {
      const [before] = await t.app.db.execute<{ n: number }>(
        sql`select count(*)::int as n from payment_events`,
      );
      const busy = await busyPercent(1_000);
      console.log(`ingest ${name}: posting ${offered} deliveries at ${INGEST_RATE}/s`);
      const loop = monitorEventLoopDelay({ resolution: 2 });
      const gcPauses: number[] = [];
      const gcSeen = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) gcPauses.push(e.duration);
      });
      gcSeen.observe({ entryTypes: ['gc'] });
      loop.enable();
      const cpuBefore = process.cpuUsage();
      // Asynchronously: the server answering the load lives in this process.
      const { stdout: out } = await promisify(execFile)(
        process.execPath,
        ['--no-warnings', resolve(import.meta.dirname, 'load.ts'), file, base, String(INGEST_RATE)],
        { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      );
      const cpu = process.cpuUsage(cpuBefore);
      loop.disable();
      gcSeen.disconnect();
      const r = JSON.parse(out) as {
        latencies: number[];
        scheduledAt: number[];
        sendLag: number[];
        statuses: Record<string, number>;
        elapsedSeconds: number;
      };
      const [after] = await t.app.db.execute<{ n: number }>(
        sql`select count(*)::int as n from payment_events`,
      );
      const lat = [...r.latencies].sort((a, b) => a - b);
      const bySecond: number[][] = [];
      const firstHalf: number[] = [];
      r.scheduledAt.forEach((at, i) => {
        (bySecond[Math.floor(at / 1000)] ??= []).push(r.latencies[i]!);
        if (at < 500) firstHalf.push(r.latencies[i]!);
      });
      const p99Of = (xs: number[]) =>
        round(
          quantile(
            [...xs].sort((a, b) => a - b),
            0.99,
          ),
        );
      const res: IngestRun = {
        offered,
        acknowledged: r.statuses['200'] ?? 0,
        achievedPerSecond: Math.round(lat.length / r.elapsedSeconds),
        p50: round(quantile(lat, 0.5)),
        p99: round(quantile(lat, 0.99)),
        max: round(lat.at(-1) ?? NaN),
        statuses: r.statuses,
        stored: (after?.n ?? 0) - (before?.n ?? 0),
        duplicates,
        serverCpuMicrosPerDelivery: Math.round((cpu.user + cpu.system) / Math.max(1, lat.length)),
        serverLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
        serverLoopDelayMaxMs: round(loop.max / 1e6),
        gc: {
          pauses: gcPauses.length,
          totalMs: round(gcPauses.reduce((x, y) => x + y, 0)),
          maxMs: round(Math.max(0, ...gcPauses)),
        },
        sendLagP99Ms: p99Of(r.sendLag),
        p99FirstHalfSecond: p99Of(firstHalf),
        p99BySecond: Array.from(bySecond, (xs) => p99Of(xs ?? [])),
      };
      if (name === 'warm-up') warmUpRun = res;
      else if (name.startsWith('sustained')) sustained.push(res);
      else ingest.push(res);
      console.log(`ingest ${name} (CPU ${busy}% busy before): ${JSON.stringify(res)}`);
      // The jobs this run enqueued are not part of the next figure.
      const boss = await t.app.jobs.boss();
      await boss.deleteAllJobs('payment.apply');
    }

    // 2. Callback to restore (BENCH_RESTORES=0: ingest only).
    if (RESTORES > 0) {
      const restoreHandler = billingHandlers(t.app).filter((h) => h.kind.name === 'subscriber.restore');
      const workers = await startWorkers(
        t.app.jobs,
        [paymentApplyHandler(deps), ...restoreHandler],
        t.app.log,
      );
      await createNas(t.app, w.actor, {
        name: 'loopback',
        address: '127.0.0.1',
        secret: SECRET,
        coaPort: router.port,
      });
      await updateDunningPolicy(t.app, w.actor, { noSuspendWeekdays: [], holidays: [], graceDays: 3 });
      const [nasRow] = await t.app.db.execute<{ id: string }>(
        sql`select id from nas where tenant_id = ${w.actor.tenantId}`,
      );
      try {
        for (let run = 0; run < RUNS; run++) {
          const prefix = `p${run}-`;
          await t.app.db.execute(sql`
          insert into subscribers (tenant_id, username, password_enc, plan_id, created_at)
          select ${w.actor.tenantId}, ${prefix} || g, 'bench', ${w.planId}, ${`${DAY}T08:00:00Z`}::timestamptz
          from generate_series(1, ${RESTORES}) g`);
          await runBilling(t.app, { tenantId: w.actor.tenantId, day: DAY });
          const later = addDays(DAY, 10);
          await runBilling(t.app, {
            tenantId: w.actor.tenantId,
            day: later,
            at: new Date(`${later}T12:00:00Z`),
          });
          await t.app.db.execute(sql`
          insert into radius_sessions (tenant_id, nas_id, subscriber_id, session_key, acct_session_id,
            user_name, started_at, last_update_at)
          select tenant_id, ${nasRow!.id}, id, 'bench-' || id, 'bench-' || id, username, now(), now()
          from subscribers where tenant_id = ${w.actor.tenantId} and username like ${`${prefix}%`}`);
          const owed = await t.app.db.execute<{ subscriber_id: string; username: string }>(sql`
          select s.id as subscriber_id, s.username from subscribers s
          where s.tenant_id = ${w.actor.tenantId} and s.status = 'suspended' and s.username like ${`${prefix}%`}`);
          // Each buyer opens the pay link and gets the M-Pesa prompt (the push), which M-Pesa will say is paid.
          const pushes: { username: string; checkoutId: string }[] = [];
          for (const o of owed) {
            const link = await createPayLink(deps, w.actor, { subscriberId: o.subscriber_id });
            // The Daraja fake keeps one token and each OAuth call replaces it, so clients made
            // concurrently (apply jobs querying) can invalidate each other's: try again.
            const push = async (left: number): ReturnType<typeof startFromLink> => {
              fakes.daraja.setNextOutcome(0);
              try {
                return await startFromLink(deps, {
                  token: link.url.split('/p/')[1]!,
                  gateway: 'mpesa',
                  phone: '0712345678',
                });
              } catch (e) {
                if (
                  left > 0 &&
                  (e as { details?: { errorCode?: string } }).details?.errorCode === '404.001.03'
                )
                  return push(left - 1);
                throw e;
              }
            };
            const { started } = await push(5);
            pushes.push({ username: o.username, checkoutId: started.providerRef! });
          }
          console.log(
            `restore ${run + 1}: ${pushes.length} suspended accounts with a push sent; calling back at ${RESTORE_RATE}/s`,
          );
          const seenBefore = router.disconnects.length;
          const sentAt = new Map<string, number>();
          const posts: Promise<unknown>[] = [];
          const start = performance.now() + 200;
          for (const [k, p] of pushes.entries()) {
            const wait = start + (k * 1000) / RESTORE_RATE - performance.now();
            if (wait > 1) await new Promise((r) => setTimeout(r, wait));
            sentAt.set(p.username, Date.now());
            posts.push(
              fetch(`${base}${pathOf(w.hookUrls.stk)}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: fakes.daraja.callbackBody(p.checkoutId, 0),
              }).then((res) => res.text()),
            );
          }
          await Promise.all(posts);
          const firstSeen = new Map<string, number>();
          const deadline = Date.now() + 60_000;
          for (;;) {
            for (const d of router.disconnects.slice(seenBefore)) {
              if (d.user.startsWith(prefix) && !firstSeen.has(d.user)) firstSeen.set(d.user, d.at);
            }
            if (firstSeen.size >= pushes.length || Date.now() > deadline) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          const lat = pushes
            .map((p) =>
              firstSeen.has(p.username) ? firstSeen.get(p.username)! - sentAt.get(p.username)! : Infinity,
            )
            .sort((a, b) => a - b);
          const res: RestoreRun = {
            restores: pushes.length,
            p50: quantile(lat, 0.5),
            p99: quantile(lat, 0.99),
            max: lat.at(-1) ?? NaN,
            disconnects: router.disconnects.slice(seenBefore).filter((d) => d.user.startsWith(prefix)).length,
            lost: lat.filter((x) => x === Infinity).length,
          };
          restore.push(res);
          console.log(`restore ${run + 1}: ${JSON.stringify(res)}`);
        }
      } finally {
        await workers.stop();
      }
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await t.close();
  }
} finally {
  router.close();
  await fakes.close();
  await rm(work, { recursive: true, force: true });
  await admin((q) => q`drop database if exists ${q(DATABASE)} with (force)`);
}

let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {
  // Not a checkout: the report still stands.
}
const ingestSummary = (runs: IngestRun[], seconds: number) => ({
  offeredPerSecond: INGEST_RATE,
  seconds,
  duplicateShare: DUPLICATE_SHARE,
  achievedPerSecond: stats(runs.map((r) => r.achievedPerSecond)),
  p50Ms: stats(runs.map((r) => r.p50)),
  p99Ms: stats(runs.map((r) => r.p99)),
  p99FirstHalfSecondMs: stats(runs.map((r) => r.p99FirstHalfSecond)),
  serverCpuMicrosPerDelivery: stats(runs.map((r) => r.serverCpuMicrosPerDelivery)),
  serverLoopDelayP99Ms: stats(runs.map((r) => r.serverLoopDelayP99Ms)),
  gcMaxPauseMs: stats(runs.map((r) => r.gc.maxMs)),
  loadGeneratorSendLagP99Ms: stats(runs.map((r) => r.sendLagP99Ms)),
  perRun: runs,
});
const sustainedSummary = ingestSummary(sustained, SUSTAINED_SECONDS);
const shortSummary = ingestSummary(ingest, INGEST_SECONDS);
const restoreP99 = stats(restore.map((r) => r.p99));
const restoreP50 = stats(restore.map((r) => r.p50));
const every = [...sustained, ...ingest];
const allAcked = every.every((r) => r.acknowledged === r.offered);
const storedOnce = every.every((r) => r.stored === r.offered - r.duplicates);
const targets = {
  ingestAcknowledgedPerSecond: {
    target: `>= ${INGEST_RATE}, all acknowledged (sustained ${SUSTAINED_SECONDS} s runs)`,
    actual: sustainedSummary.achievedPerSecond.median,
    met: sustainedSummary.achievedPerSecond.median >= INGEST_RATE * 0.98 && allAcked,
  },
  ingestP99Ms: {
    target: `< 50 (sustained ${SUSTAINED_SECONDS} s runs)`,
    actual: sustainedSummary.p99Ms.median,
    met: sustainedSummary.p99Ms.median < 50,
  },
  ingestP99MsTwoSecondRuns: {
    target: `< 50 (${INGEST_SECONDS} s runs, as recorded before)`,
    actual: shortSummary.p99Ms.median,
    met: shortSummary.p99Ms.median < 50,
  },
  ingestEachEventStoredOnce: {
    target: 'stored = offered − duplicates',
    actual: storedOnce,
    met: storedOnce,
  },
  callbackToRestoreP99Ms: { target: '< 3000', actual: restoreP99.median, met: restoreP99.median < 3000 },
};
const report = {
  benchmark: 'payments',
  generatedAt: new Date().toISOString(),
  machine: {
    ...describeMachine(pgVersion),
    loadAverageBefore,
    loadAverageAfter: loadAverage(),
    busyPercentBefore: busyBefore,
    cpuPressureBefore: pressureBefore,
    cpuPressureAfter: await cpuPressure(),
  },
  source: { commit },
  /** Sustained: BENCH_SUSTAINED_SECONDS per run, the figure the targets use. */
  ingest: { ...sustainedSummary, warmUp: warmUpRun },
  /** The recorded figures before 2026-12-07: 2 s per run, after the same warm-up. */
  ingestTwoSecondRuns: shortSummary,
  callbackToRestore: {
    restoresPerRun: RESTORES,
    callbacksPerSecond: RESTORE_RATE,
    workerPollSeconds: POLL_SECONDS,
    p50Ms: restoreP50,
    p99Ms: restoreP99,
    perRun: restore,
  },
  targets,
  note: 'Ingest: half Stripe checkout.session.completed events signed with stripe.webhooks.generateTestHeaderString, half M-Pesa STK callbacks, 20% of deliveries repeats of earlier ones, posted open-loop by a separate process over keep-alive connections to the real HTTP server; latency from the scheduled send time to the acknowledgement. ingest: sustained runs (the targets); ingestTwoSecondRuns: the 2 s runs recorded before, after the same warm-up. PostgreSQL with synchronous_commit on: each delivery is answered after the fsync of the commit that holds it. Callback to restore: from posting the paid STK callback to the Disconnect-Request for that subscriber arriving at a UDP listener, with the confirming STK query against the Daraja fake, in the same process as the server.',
};
await writeFile(resultPath, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(targets, null, 2), `\nwrote ${resultPath}`);
if (!Object.values(targets).every((x) => x.met)) process.exitCode = 1;
