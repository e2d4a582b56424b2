// The RADIUS benchmark's settings, read once from the environment. Defaults are the
// published protocol (100,000 users, 30,000 open sessions, 1,000 auth/s offered).
import { resolve } from 'node:path';
import { RADIUSD_NODE_FLAGS } from '@kasi/radiusd/node-flags';

export interface BenchConfig {
  databaseUrl: string;
  users: number;
  openSessions: number;
  warmupMs: number;
  durationMs: number;
  /** Requests kept in flight by the closed-loop (saturation) scenarios. */
  concurrency: number;
  /** Offered load of the fixed-rate latency scenarios, Access-Requests per second. */
  offeredRate: number;
  /** A request with no reply after this long counts as lost. */
  timeoutMs: number;
  /** First of the UDP/TCP ports the bench binds on 127.0.0.1 (about 20 above it are used). */
  portBase: number;
  secret: string;
  /** Which scenarios to run (all by default); acctInterim needs acctStart. */
  scenarios: string[];
  /** Which servers to measure: kasi, freeradius, freeradius-tuned. */
  servers: string[];
  resultsFile: string;
  repoRoot: string;
  keepDatabases: boolean;
  /** Keep the work dir (server logs, FreeRADIUS config) even after a successful run. */
  keepWorkDir: boolean;
  /** radiusd entry point; point it at a modified copy to measure a change without editing radiusd. */
  radiusdMain: string;
  /** Extra node flags for radiusd, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  radiusdNodeArgs: string[];
  /** SQL run on Kasi's database after migrations: tries a schema change before it is a migration. */
  kasiExtraSql: string;
  /** Before each measurement, wait up to this long for the shared machine to go quiet. */
  quietWaitMs: number;
  /** When set, each open-loop scenario writes its per-request latencies here as CSV. */
  latencyTraceDir: string;
  /** PATH handed to the servers (freeradius lives in /usr/sbin). */
  path: string;
}

const int = (value: string | undefined, fallback: number): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Expected a whole number, got "${value}"`);
  return n;
};

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const repoRoot = resolve(import.meta.dirname, '../..');
  const config: BenchConfig = {
    databaseUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    users: int(env.BENCH_USERS, 100_000),
    openSessions: int(env.BENCH_OPEN_SESSIONS, 30_000),
    warmupMs: int(env.BENCH_WARMUP_SECONDS, 3) * 1000,
    durationMs: int(env.BENCH_DURATION_SECONDS, 15) * 1000,
    concurrency: int(env.BENCH_CONCURRENCY, 64),
    offeredRate: int(env.BENCH_OFFERED_RATE, 1000),
    timeoutMs: int(env.BENCH_TIMEOUT_MS, 5000),
    portBase: int(env.BENCH_PORT_BASE, 41_800),
    secret: env.BENCH_RADIUS_SECRET || 'kasi-bench-secret',
    scenarios: (
      env.BENCH_SCENARIOS || 'auth,authLatency,acctStart,acctInterim,authOpenSessions,authLatencyOpenSessions'
    )
      .split(',')
      .map((s) => s.trim()),
    servers: (env.BENCH_SERVERS || 'kasi,freeradius,freeradius-tuned').split(',').map((s) => s.trim()),
    resultsFile: resolve(repoRoot, env.BENCH_RESULTS_FILE || 'bench/results/radius.json'),
    repoRoot,
    keepDatabases: env.BENCH_KEEP_DATABASES === '1',
    keepWorkDir: env.BENCH_KEEP_WORK_DIR === '1',
    radiusdMain: resolve(repoRoot, env.BENCH_RADIUSD_MAIN || 'radiusd/src/main.ts'),
    // radiusd runs as the product starts it, plus whatever the run adds.
    radiusdNodeArgs: [
      ...RADIUSD_NODE_FLAGS,
      ...(env.BENCH_RADIUSD_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    ],
    kasiExtraSql: env.BENCH_KASI_EXTRA_SQL ?? '',
    quietWaitMs: int(env.BENCH_QUIET_WAIT_SECONDS, 10) * 1000,
    latencyTraceDir: env.BENCH_LATENCY_TRACE_DIR ? resolve(env.BENCH_LATENCY_TRACE_DIR) : '',
    path: `${env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`,
  };
  if (config.openSessions >= config.users) throw new Error('BENCH_OPEN_SESSIONS must be below BENCH_USERS');
  return config;
}
