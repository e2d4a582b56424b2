// The protocol, run the same way against every server:
//   1. auth, no open sessions (closed loop: saturation)
//   2. auth at a fixed offered rate, no open sessions (open loop: latency)
//   3. Accounting Start, then Interim-Update for the sessions it opened (closed loop)
//   4. with N sessions open in the database: auth by *other* users (closed loop), then the
//      fixed-rate latency run. Users with open sessions would be rejected, and FreeRADIUS
//      holds every Reject for 1 s, which would stall a closed-loop generator.
import { join } from 'node:path';
import type { BenchConfig } from './bench.config.ts';
import { runLoad, type Measurement } from './load.runner.ts';
import type { LoadPlan, RequestKind } from './load.types.ts';
import type { Peer } from './peers.ts';
import { waitUntilReady } from './server.process.ts';
import { waitForQuiet, type QuietWait } from './machine.ts';

export type ScenarioName =
  'auth' | 'authLatency' | 'acctStart' | 'acctInterim' | 'authOpenSessions' | 'authLatencyOpenSessions';

export interface PeerResult {
  settings: Record<string, unknown>;
  scenarios: Partial<Record<ScenarioName, Measurement & { machineBeforeRun: QuietWait }>>;
}

export interface ScenarioContext {
  config: BenchConfig;
  usersFile: string;
  codes: string[];
  log: (line: string) => void;
}

export async function measurePeer(peer: Peer, ctx: ScenarioContext): Promise<PeerResult> {
  const { config, codes } = ctx;
  const scenarios: PeerResult['scenarios'] = {};
  const all = { from: 0, to: codes.length };
  const withoutSessions = { from: config.openSessions, to: codes.length };
  await peer.resetSessions();
  const server = await peer.start();
  try {
    const last = codes.length - 1;
    await waitUntilReady(server, {
      port: peer.authPort,
      secret: config.secret,
      subscriber: { index: last, user: codes[last] ?? '' },
    });
    const run = async (name: ScenarioName, plan: Omit<LoadPlan, 'host' | 'secret' | 'usersFile'>) => {
      if (!config.scenarios.includes(name)) return null;
      const quiet = await waitForQuiet(config.quietWaitMs);
      const m = await runLoad(
        {
          ...plan,
          host: '127.0.0.1',
          secret: config.secret,
          usersFile: ctx.usersFile,
          ...(config.latencyTraceDir &&
            plan.mode === 'open' && { traceFile: join(config.latencyTraceDir, `${peer.name}-${name}.csv`) }),
        },
        server.pid,
      );
      scenarios[name] = { ...m, machineBeforeRun: quiet };
      ctx.log(describe(peer.name, name, m));
      return m;
    };
    const closed = (kind: RequestKind, port: number, users: { from: number; to: number }, sessions = 0) =>
      planFor(config, { kind, port, users, sessions, mode: 'closed' });
    const open = (users: { from: number; to: number }) =>
      planFor(config, { kind: 'auth', port: peer.authPort, users, sessions: 0, mode: 'open' });

    await run('auth', closed('auth', peer.authPort, all));
    await run('authLatency', open(all));
    const starts = await run('acctStart', closed('acct-start', peer.acctPort, all));
    // The Starts grew the session table from empty in seconds. In service, autovacuum's ANALYZE
    // follows such a burst within a minute; without it the planner guesses from an empty table
    // (for Kasi's UPDATE under row-level security: the tenant index and a hash join over every
    // session instead of one unique-key probe per packet, ~10x the PostgreSQL CPU). Both
    // servers get the same ANALYZE before their Interim-Updates.
    await peer.analyzeSessions();
    await run(
      'acctInterim',
      closed('acct-interim', peer.acctPort, all, Math.max(1, starts?.sessionsOpened ?? 0)),
    );

    await peer.resetSessions();
    await peer.openSessions(codes.slice(0, config.openSessions));
    await run('authOpenSessions', closed('auth', peer.authPort, withoutSessions));
    await run('authLatencyOpenSessions', open(withoutSessions));
  } finally {
    await server.stop();
  }
  return { settings: peer.settings, scenarios };
}

interface PlanShape {
  kind: RequestKind;
  port: number;
  users: { from: number; to: number };
  sessions: number;
  mode: 'closed' | 'open';
}

function planFor(config: BenchConfig, p: PlanShape): Omit<LoadPlan, 'host' | 'secret' | 'usersFile'> {
  // Enough (socket, Identifier) pairs for everything that can be outstanding at once.
  const outstanding =
    p.mode === 'closed' ? config.concurrency : (config.offeredRate * config.timeoutMs) / 1000;
  return {
    kind: p.kind,
    mode: p.mode,
    port: p.port,
    concurrency: config.concurrency,
    rate: config.offeredRate,
    warmupMs: config.warmupMs,
    durationMs: config.durationMs,
    timeoutMs: config.timeoutMs,
    userFrom: p.users.from,
    userTo: p.users.to,
    sessions: p.sessions,
    sockets: Math.max(4, Math.ceil((outstanding * 1.25) / 256)),
  };
}

function describe(peer: string, scenario: ScenarioName, m: Measurement): string {
  const extra = [
    m.rejects && `${m.rejects} rejects ${JSON.stringify(m.rejectMessages)}`,
    m.lost && `${m.lost} lost`,
    m.unmatched && `${m.unmatched} unmatched`,
    m.skipped && `${m.skipped} skipped`,
  ].filter(Boolean);
  return (
    `${peer.padEnd(17)} ${scenario.padEnd(24)} ${String(m.okPerSecond).padStart(6)}/s  ` +
    `p50 ${m.latency.p50Ms} ms  p99 ${m.latency.p99Ms} ms  ` +
    `cpu server ${m.cpu.serverPercent}% pg ${m.cpu.postgresPercent}% gen ${m.generatorCpuPercent}% ` +
    `other ${m.cpu.otherPercent}%  µs/ok server ${m.cpu.serverMicrosPerOk ?? '-'} pg ${m.cpu.postgresMicrosPerOk ?? '-'}${extra.length ? '  ' + extra.join(', ') : ''}`
  );
}
