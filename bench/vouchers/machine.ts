// What the numbers were measured on and how busy the shared machine was around the run.
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);

/** Machine-wide CPU use over a short sample: other engineers share these cores. */
export async function busyPercent(sampleMs = 2_000): Promise<number> {
  const ticks = () =>
    cpus().reduce(
      (acc, c) => {
        const total = Object.values(c.times).reduce((a, b) => a + b, 0);
        return { busy: acc.busy + total - c.times.idle, total: acc.total + total };
      },
      { busy: 0, total: 0 },
    );
  const a = ticks();
  await new Promise((r) => setTimeout(r, sampleMs));
  const b = ticks();
  return Math.round(((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100);
}

/** Linux CPU pressure: share of time runnable tasks waited for a core (10 s average). */
export async function cpuPressure(): Promise<number | null> {
  try {
    const text = await readFile('/proc/pressure/cpu', 'utf8');
    return Number(/some avg10=([\d.]+)/.exec(text)?.[1] ?? NaN);
  } catch {
    return null;
  }
}

export function describeMachine(postgres: string) {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
  };
}
