// Turns the per-server measurements into bench/results/radius.json: headline metrics, the
// Kasi/FreeRADIUS ratios, the targets, and everything needed to judge the run.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Measurement } from './load.runner.ts';
import type { PeerName } from './peers.ts';
import type { PeerResult, ScenarioName } from './scenarios.ts';

type Servers = Partial<Record<PeerName, PeerResult>>;

interface Metric {
  name: string;
  unit: string;
  /** Which way is better, so a ratio can be read at a glance. */
  better: 'higher' | 'lower';
  pick: (s: Servers[PeerName]) => number | null;
}

const from = (scenario: ScenarioName, value: (m: Measurement) => number) => (r: PeerResult | undefined) => {
  const m = r?.scenarios[scenario];
  const v = m ? value(m) : null;
  return v === null || Number.isNaN(v) ? null : v;
};

const lossPercent = (m: Measurement) =>
  m.sent + m.skipped === 0 ? 0 : Math.round(((m.lost + m.skipped) / (m.sent + m.skipped)) * 1000) / 10;

/** Server + PostgreSQL CPU per successful reply: what a request costs, however busy the machine. */
const cpuPerOk = (m: Measurement) =>
  m.cpu.serverMicrosPerOk === null || m.cpu.postgresMicrosPerOk === null
    ? Number.NaN
    : m.cpu.serverMicrosPerOk + m.cpu.postgresMicrosPerOk;

const cpuMetric = (scenario: ScenarioName): Metric => ({
  name: `${scenario}CpuMicrosPerOk`,
  unit: 'µs',
  better: 'lower',
  pick: from(scenario, cpuPerOk),
});

const METRICS: Metric[] = [
  { name: 'authPerSecond', unit: '/s', better: 'higher', pick: from('auth', (m) => m.okPerSecond) },
  {
    name: 'authOpenSessionsPerSecond',
    unit: '/s',
    better: 'higher',
    pick: from('authOpenSessions', (m) => m.okPerSecond),
  },
  { name: 'acctStartPerSecond', unit: '/s', better: 'higher', pick: from('acctStart', (m) => m.okPerSecond) },
  {
    name: 'acctInterimPerSecond',
    unit: '/s',
    better: 'higher',
    pick: from('acctInterim', (m) => m.okPerSecond),
  },
  {
    name: 'authLatencyP50Ms',
    unit: 'ms',
    better: 'lower',
    pick: from('authLatency', (m) => m.latency.p50Ms),
  },
  {
    name: 'authLatencyP99Ms',
    unit: 'ms',
    better: 'lower',
    pick: from('authLatency', (m) => m.latency.p99Ms),
  },
  { name: 'authLatencyLossPercent', unit: '%', better: 'lower', pick: from('authLatency', lossPercent) },
  {
    name: 'authLatencyOpenSessionsP50Ms',
    unit: 'ms',
    better: 'lower',
    pick: from('authLatencyOpenSessions', (m) => m.latency.p50Ms),
  },
  {
    name: 'authLatencyOpenSessionsP99Ms',
    unit: 'ms',
    better: 'lower',
    pick: from('authLatencyOpenSessions', (m) => m.latency.p99Ms),
  },
  {
    name: 'authLatencyOpenSessionsLossPercent',
    unit: '%',
    better: 'lower',
    pick: from('authLatencyOpenSessions', lossPercent),
  },
  ...(['auth', 'authOpenSessions', 'acctStart', 'acctInterim'] as const).map(cpuMetric),
];

/** Three significant figures: latency ratios can be 0.0006. */
const ratio = (a: number | null, b: number | null) =>
  a === null || b === null || b === 0 ? null : Number((a / b).toPrecision(3));

export function summarize(servers: Servers) {
  return Object.fromEntries(
    METRICS.map((m) => {
      const kasi = m.pick(servers.kasi);
      const freeradius = m.pick(servers.freeradius);
      const freeradiusTuned = m.pick(servers['freeradius-tuned']);
      return [
        m.name,
        {
          unit: m.unit,
          better: m.better,
          kasi,
          freeradius,
          freeradiusTuned,
          kasiOverFreeradius: ratio(kasi, freeradius),
          kasiOverFreeradiusTuned: ratio(kasi, freeradiusTuned),
        },
      ];
    }),
  );
}

export type Summary = ReturnType<typeof summarize>;

/** The targets, each against the stronger (tuned) FreeRADIUS. */
export function judgeTargets(summary: Summary) {
  const tunedRatio = (name: string) => summary[name]?.kasiOverFreeradiusTuned ?? null;
  const atLeast = (actual: number | null, target: number) => ({
    target: `>= ${target}`,
    actual,
    met: actual !== null && actual >= target,
  });
  const below = (actual: number | null, target: number) => ({
    target: `< ${target}`,
    actual,
    met: actual !== null && actual < target,
  });
  const startRatio = tunedRatio('acctStartPerSecond');
  const interimRatio = tunedRatio('acctInterimPerSecond');
  return {
    authOpenSessionsVsTuned: atLeast(tunedRatio('authOpenSessionsPerSecond'), 3),
    accountingVsTuned: atLeast(
      startRatio === null || interimRatio === null ? null : Math.min(startRatio, interimRatio),
      2,
    ),
    kasiP99MsAt1000NoSessions: below(summary.authLatencyP99Ms?.kasi ?? null, 10),
    kasiP99MsAt1000OpenSessions: below(summary.authLatencyOpenSessionsP99Ms?.kasi ?? null, 10),
  };
}

export function formatTable(summary: Summary): string {
  const cell = (v: number | null) => (v === null ? '-' : String(v));
  const rows = [
    ['metric', 'kasi', 'freeradius', 'fr-tuned', 'kasi/fr', 'kasi/fr-tuned'],
    ...Object.entries(summary).map(([name, s]) => [
      `${name} (${s.unit})`,
      cell(s.kasi),
      cell(s.freeradius),
      cell(s.freeradiusTuned),
      cell(s.kasiOverFreeradius),
      cell(s.kasiOverFreeradiusTuned),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

export async function writeReport(path: string, report: object): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(report, null, 2) + '\n');
}
