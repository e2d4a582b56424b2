// The result file (bench/results/vouchers.json) and the table printed at the end.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Measurement } from './scenarios.ts';

export interface VoucherBenchReport {
  benchmark: 'vouchers';
  generatedAt: string;
  machine: Record<string, unknown>;
  results: (Measurement & { pass: boolean })[];
  pass: boolean;
  note: string;
}

export const judge = (m: Measurement) => ({ ...m, pass: m.seconds < m.targetSeconds });

export async function writeReport(path: string, report: VoucherBenchReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(report, null, 2) + '\n');
}

export function formatTable(results: VoucherBenchReport['results']): string {
  const rows = results.map((r) => [
    r.name,
    `${r.seconds.toFixed(3)} s`,
    `< ${r.targetSeconds} s`,
    r.pass ? 'pass' : 'FAIL',
    Object.entries(r.detail)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  ]);
  const header = ['measurement', 'time', 'target', 'result', 'detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
