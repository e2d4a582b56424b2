// The servers being compared, behind one shape: how to start each, how to put its database
// back to "no sessions", and how to open N sessions directly in its tables.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchConfig } from './bench.config.ts';
import { describeFreeradius } from './freeradius.config.ts';
import { openFreeradiusSessions, resetFreeradiusSessions, TUNING_INDEX_SQL } from './freeradius.seed.ts';
import { openKasiSessions, resetKasiSessions, type KasiFixture } from './kasi.seed.ts';
import { spawnServer, type ServerProcess } from './server.process.ts';
import { withAdmin } from '../support/bench-run.ts';

const analyzeTable = (url: string, table: string) =>
  withAdmin(url, async (q) => void (await q`analyze ${q(table)}`));

export type PeerName = 'kasi' | 'freeradius' | 'freeradius-tuned';

export interface Peer {
  name: PeerName;
  authPort: number;
  acctPort: number;
  settings: Record<string, unknown>;
  start(): Promise<ServerProcess>;
  resetSessions(): Promise<void>;
  openSessions(codes: string[]): Promise<void>;
  /** ANALYZE of the session table, as autovacuum does within a minute of a burst of Starts. */
  analyzeSessions(): Promise<void>;
}

export const portsOf = (config: BenchConfig) => ({
  kasi: { auth: config.portBase, acct: config.portBase + 1, metrics: config.portBase + 2 },
  freeradius: { auth: config.portBase + 10, acct: config.portBase + 11, innerTunnel: config.portBase + 12 },
});

export interface KasiPeerInput {
  config: BenchConfig;
  databaseUrl: string;
  fixture: KasiFixture;
  masterKey: Buffer;
  workDir: string;
}

export async function kasiPeer(i: KasiPeerInput): Promise<Peer> {
  const ports = portsOf(i.config).kasi;
  const main = i.config.radiusdMain;
  const source = await readFile(main, 'utf8');
  return {
    name: 'kasi',
    authPort: ports.auth,
    acctPort: ports.acct,
    settings: {
      command: ['node', ...i.config.radiusdNodeArgs, main].join(' '),
      postgresPoolMax: Number(/connect\([^)]*max:\s*(\d+)/.exec(source)?.[1] ?? NaN),
      maxInFlight: 1024,
      requireMessageAuthenticator: true,
      logLevel: 'warn',
      node: process.version,
      ...(i.config.kasiExtraSql && { extraSqlAfterMigrations: i.config.kasiExtraSql }),
    },
    start: () =>
      Promise.resolve(
        spawnServer({
          name: 'kasi',
          command: process.execPath,
          args: [...i.config.radiusdNodeArgs, main],
          cwd: i.workDir,
          logFile: join(i.workDir, 'radiusd.log'),
          env: {
            PATH: i.config.path,
            DATABASE_URL: i.databaseUrl,
            KASI_MASTER_KEY: i.masterKey.toString('base64'),
            KASI_RADIUS_HOST: '127.0.0.1',
            KASI_RADIUS_AUTH_PORT: String(ports.auth),
            KASI_RADIUS_ACCT_PORT: String(ports.acct),
            KASI_RADIUS_METRICS_PORT: String(ports.metrics),
            KASI_LOG_LEVEL: 'warn',
            KASI_DATA_DIR: i.workDir,
            // Lets a run try another pool size without editing radiusd.
            ...(process.env.KASI_RADIUS_DB_POOL
              ? { KASI_RADIUS_DB_POOL: process.env.KASI_RADIUS_DB_POOL }
              : {}),
          },
        }),
      ),
    resetSessions: () => resetKasiSessions(i.databaseUrl),
    openSessions: (codes) => openKasiSessions(i.databaseUrl, i.fixture, codes),
    analyzeSessions: () => analyzeTable(i.databaseUrl, 'radius_sessions'),
  };
}

export interface FreeradiusPeerInput {
  config: BenchConfig;
  databaseUrl: string;
  raddb: string;
  workDir: string;
  tuned: boolean;
}

export async function freeradiusPeer(i: FreeradiusPeerInput): Promise<Peer> {
  const ports = portsOf(i.config).freeradius;
  const name = i.tuned ? 'freeradius-tuned' : 'freeradius';
  return {
    name,
    authPort: ports.auth,
    acctPort: ports.acct,
    settings: {
      command: `freeradius -d ${i.raddb} -f`,
      ...(await describeFreeradius(i.raddb)),
      changesFromDebianDefaults: [
        'listen: 127.0.0.1 and bench ports (IPv6 listeners removed); inner-tunnel port moved',
        'mods-enabled/sql: dialect postgresql, bench database',
        'session { sql } for Simultaneous-Use',
        'clients.conf: bench secret for localhost',
        'logdir/run_dir/raddbdir inside the private copy',
        ...(i.tuned ? [TUNING_INDEX_SQL] : []),
      ],
    },
    start: () =>
      Promise.resolve(
        spawnServer({
          name,
          command: 'freeradius',
          args: ['-d', i.raddb, '-f'],
          cwd: i.workDir,
          logFile: join(i.workDir, `${name}.out`),
          env: { PATH: i.config.path },
        }),
      ),
    resetSessions: () => resetFreeradiusSessions(i.databaseUrl),
    openSessions: (codes) => openFreeradiusSessions(i.databaseUrl, codes),
    analyzeSessions: () => analyzeTable(i.databaseUrl, 'radacct'),
  };
}
