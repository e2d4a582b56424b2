// Merges several `pnpm bench:radius` reports (each written with BENCH_RESULTS_FILE) into
// bench/results/radius.json: every figure and target as the median of the runs, with each run
// and the spread, because one run on this shared 2-core machine proves little.
//
//   node bench/radius/aggregate.ts --runs a.json,b.json,c.json \
//     [--bypass d.json,e.json,f.json] [--out bench/results/radius.json] [--note "..."]
//
// --bypass: runs of the same commit with `ALTER ROLE kasi_radiusd BYPASSRLS` (through
// BENCH_KASI_EXTRA_SQL), interleaved with the others: the cost of the row-level security policies
// alone, reported under `rowLevelSecurity` (ADR 0019).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runStats } from '../support/bench-run.ts';
import { judgeTargets, writeReport, type Summary } from './report.ts';

interface Report {
  generatedAt: string;
  machine: { loadAverageBefore: number[]; loadAverageAfter: number[] } & Record<string, unknown>;
  summary: Summary;
  targets: Record<string, { target: string; actual: number | null; met: boolean }>;
  servers: Record<string, unknown>;
  [key: string]: unknown;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    bypass: { type: 'string' },
    out: { type: 'string', default: 'bench/results/radius.json' },
    note: { type: 'string', default: '' },
  },
});
if (!values.runs) throw new Error('--runs a.json,b.json,c.json is required');

const load = async (list: string | undefined): Promise<Report[]> =>
  Promise.all(
    (list ?? '')
      .split(',')
      .filter(Boolean)
      .map(async (f) => JSON.parse(await readFile(resolve(f), 'utf8')) as Report),
  );
const runs = await load(values.runs);
const bypass = await load(values.bypass);
if (runs.length < 3) throw new Error(`three runs at least (got ${runs.length})`);

const present = (xs: (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number');
const stats = (xs: (number | null | undefined)[], decimals = 2) => {
  const got = present(xs);
  return got.length ? runStats(got, decimals) : null;
};

/** Per metric and server: the median over the runs, with the runs. */
function medianSummary(reports: Report[]) {
  const names = Object.keys(reports[0]?.summary ?? {});
  return Object.fromEntries(
    names.map((name) => {
      const of = (pick: (s: Summary[string]) => number | null) =>
        stats(reports.map((r) => pick(r.summary[name]!)));
      const first = reports[0]!.summary[name]!;
      return [
        name,
        {
          unit: first.unit,
          better: first.better,
          kasi: of((s) => s.kasi),
          freeradiusTuned: of((s) => s.freeradiusTuned),
          kasiOverFreeradiusTuned: of((s) => s.kasiOverFreeradiusTuned),
        },
      ];
    }),
  );
}

// Targets: judged per run, then the median of the per-run figures is judged again.
const perRun = runs.map((r) => judgeTargets(r.summary));
const targets = Object.fromEntries(
  Object.keys(perRun[0] ?? {}).map((name) => {
    const figures = perRun.map((t) => t[name as keyof typeof t]);
    const s = stats(figures.map((f) => f.actual));
    const median = s?.median ?? null;
    const below = figures[0]!.target.startsWith('<');
    const bound = Number(figures[0]!.target.replace(/[^0-9.]/g, ''));
    return [
      name,
      {
        target: figures[0]!.target,
        actual: median,
        met: median !== null && (below ? median < bound : median >= bound),
        runs: s?.runs ?? [],
        spreadPercent: s?.spreadPercent ?? null,
        metInRuns: `${figures.filter((f) => f.met).length} of ${figures.length}`,
      },
    ];
  }),
);

const kasiOnly = (summary: ReturnType<typeof medianSummary>) =>
  Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, v.kasi]));

const rowLevelSecurity = bypass.length
  ? (() => {
      const forced = medianSummary(runs);
      const off = medianSummary(bypass);
      return {
        note: values.note,
        method:
          'Same commit, same machine, runs interleaved. "forced": radiusd as kasi_radiusd under the tenant policies (as shipped). "bypass": the same, with kasi_radiusd given BYPASSRLS, so the policies are skipped but every other cost of ADR 0019 (the SET LOCAL of the tenant per transaction) stays. costPercent: how much worse forced is than bypass, by median.',
        runs: { forced: runs.length, bypass: bypass.length },
        forced: kasiOnly(forced),
        bypass: kasiOnly(off),
        costPercent: Object.fromEntries(
          Object.entries(forced).map(([k, v]) => {
            const a = v.kasi?.median;
            const b = off[k]?.kasi?.median;
            if (a === undefined || b === undefined || b === 0) return [k, null];
            const worse = v.better === 'higher' ? (b - a) / b : (a - b) / b;
            return [k, Math.round(worse * 1000) / 10];
          }),
        ),
      };
    })()
  : undefined;

const base = runs[0]!;
await writeReport(resolve(values.out), {
  benchmark: 'radius',
  generatedAt: new Date().toISOString(),
  aggregate: {
    runs: runs.length,
    how: 'Each figure is the median of the runs; `runs` lists every run, spreadPercent is (max - min) / median.',
    generatedAt: runs.map((r) => r.generatedAt),
    loadAverageBefore: runs.map((r) => r.machine.loadAverageBefore),
  },
  machine: base.machine,
  source: base.source,
  postgres: base.postgres,
  protocol: base.protocol,
  summary: medianSummary(runs),
  targets,
  ...(rowLevelSecurity ? { rowLevelSecurity } : {}),
  // Per-scenario detail (CPU, latency, losses) of the first run; the others are in their own files.
  servers: base.servers,
});
console.log(JSON.stringify(targets, null, 2));
