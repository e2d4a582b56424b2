// pnpm bench:radius — Kasi's radiusd against FreeRADIUS 3.2 (Debian defaults + SQL +
// Simultaneous-Use, and tuned with an open-session index) on the same PostgreSQL, the same
// users and the same load generator. Writes bench/results/radius.json. See bench/README.md.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVoucherCodes } from '@kasi/domain';
import { loadBenchConfig } from './bench.config.ts';
import { writeFreeradiusConfig } from './freeradius.config.ts';
import { ensureFreeradius } from './freeradius.install.ts';
import { seedFreeradius, tuneFreeradius } from './freeradius.seed.ts';
import { seedKasi } from './kasi.seed.ts';
import { describeMachine, loadAverage } from './machine.ts';
import { freeradiusPeer, kasiPeer, portsOf, type Peer, type PeerName } from './peers.ts';
import { describePostgres, dropDatabase, recreateDatabase } from './postgres-admin.ts';
import { formatTable, judgeTargets, summarize, writeReport } from './report.ts';
import { measurePeer, type PeerResult } from './scenarios.ts';
import { describeSource } from './source-state.ts';

// Ctrl-C still runs the exit hook that kills the servers.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const began = performance.now();
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;
const log = (line: string) => console.log(line);
const config = loadBenchConfig();

ensureFreeradius(log);
const loadAverageBefore = loadAverage();
const work = await mkdtemp(join(tmpdir(), 'kasi-bench-radius-'));
const usersFile = join(work, 'users.txt');
const codes = generateVoucherCodes(config.users, { length: 10 });
await writeFile(usersFile, codes.join('\n') + '\n');
const masterKey = randomBytes(32);
const source = describeSource(config.repoRoot);
const postgres = await describePostgres(config.databaseUrl);
log(
  `work dir ${work}; ${codes.length} users, ${config.openSessions} open sessions; load ${loadAverageBefore.join(' ')}`,
);

const kasiDb = await recreateDatabase(config.databaseUrl, 'kasi_bench_kasi');
const frDb = await recreateDatabase(config.databaseUrl, 'kasi_bench_fr');
const durations: Record<string, number> = {};
const servers: Partial<Record<PeerName, PeerResult>> = {};
let failed = true;
try {
  let t = performance.now();
  const fixture = await seedKasi({
    url: kasiDb.url,
    codes,
    secret: config.secret,
    masterKey,
    extraSql: config.kasiExtraSql,
  });
  durations.seedKasiSeconds = seconds(t);
  t = performance.now();
  await seedFreeradius(frDb.url, codes);
  durations.seedFreeradiusSeconds = seconds(t);
  const raddb = await writeFreeradiusConfig(work, frDb.url, portsOf(config).freeradius, config.secret);
  log(
    `seeded in ${durations.seedKasiSeconds} s (Kasi) and ${durations.seedFreeradiusSeconds} s (FreeRADIUS)`,
  );

  const peers: Record<PeerName, () => Promise<Peer>> = {
    kasi: () => kasiPeer({ config, databaseUrl: kasiDb.url, fixture, masterKey, workDir: work }),
    freeradius: () => freeradiusPeer({ config, databaseUrl: frDb.url, raddb, workDir: work, tuned: false }),
    'freeradius-tuned': async () => {
      await tuneFreeradius(frDb.url);
      return freeradiusPeer({ config, databaseUrl: frDb.url, raddb, workDir: work, tuned: true });
    },
  };
  // Untuned FreeRADIUS before tuned: the tuning index stays once created.
  for (const name of ['kasi', 'freeradius', 'freeradius-tuned'] as const) {
    if (!config.servers.includes(name)) continue;
    t = performance.now();
    servers[name] = await measurePeer(await peers[name](), { config, usersFile, codes, log });
    durations[`${name}Seconds`] = seconds(t);
  }
  failed = false;
} finally {
  if (!config.keepDatabases) {
    await dropDatabase(config.databaseUrl, kasiDb.name);
    await dropDatabase(config.databaseUrl, frDb.name);
  }
  // Logs are worth keeping when something went wrong.
  if (failed || config.keepWorkDir) log(`server logs kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
}

const summary = summarize(servers);
const targets = judgeTargets(summary);
const loadAverageAfter = loadAverage();
await writeReport(config.resultsFile, {
  benchmark: 'radius',
  generatedAt: new Date().toISOString(),
  durations: { ...durations, totalSeconds: seconds(began) },
  machine: {
    ...describeMachine(postgres.server_version ?? 'unknown'),
    loadAverageBefore,
    loadAverageAfter,
  },
  source,
  postgres,
  protocol: {
    users: config.users,
    openSessions: config.openSessions,
    warmupSeconds: config.warmupMs / 1000,
    measureSeconds: config.durationMs / 1000,
    closedLoopConcurrency: config.concurrency,
    offeredAuthPerSecond: config.offeredRate,
    lostAfterMs: config.timeoutMs,
    generator: 'bench/radius/load-generator.ts, one Node process, connected UDP sockets on 127.0.0.1',
  },
  summary,
  targets,
  servers,
});
log('');
log(formatTable(summary));
log('');
for (const [name, t] of Object.entries(targets))
  log(`${t.met ? 'MET ' : 'MISS'} ${name}: ${t.actual ?? '-'} (target ${t.target})`);
log(`load average before ${loadAverageBefore.join(' ')}, after ${loadAverageAfter.join(' ')}`);
log(`wrote ${config.resultsFile}`);
