// What the numbers were measured on, and how busy the machine was around the run.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { machineTicks } from './cpu-sampler.ts';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  freeradius: string;
}

export function describeMachine(postgresVersion: string): Machine {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: postgresVersion,
    freeradius: freeradiusVersion(),
  };
}

function freeradiusVersion(): string {
  try {
    const out = execFileSync('freeradius', ['-v'], { encoding: 'utf8' });
    return /FreeRADIUS Version [^,\s]+/.exec(out)?.[0] ?? out.split('\n')[0] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** 1, 5 and 15 minute load averages; above nproc means something else competed for the CPU. */
export const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);

/**
 * Other engineers share this machine: waits (at most maxWaitMs) until it is below
 * `busyPercent` over a 2 s sample, so a server is not measured against someone's test suite.
 */
export interface QuietWait {
  waitedSeconds: number;
  /** Machine-wide CPU use over the last 2 s before the measurement started. */
  busyPercent: number;
}

export async function waitForQuiet(maxWaitMs: number, busyPercent = 25): Promise<QuietWait> {
  const began = performance.now();
  let busy: number;
  do {
    const a = machineTicks();
    await new Promise((r) => setTimeout(r, 2_000));
    const b = machineTicks();
    busy = Math.round(((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100);
  } while (busy >= busyPercent && performance.now() - began < maxWaitMs);
  return { waitedSeconds: Math.round((performance.now() - began) / 1000), busyPercent: busy };
}
