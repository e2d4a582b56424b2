// Runs the load generator as its own process and samples CPU over exactly the window it
// measures (it prints window-start / window-end as they happen).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpuBetween, otherPercent, snapshotCpu, type CpuSnapshot, type CpuUsage } from './cpu-sampler.ts';
import type { LoadEvent, LoadPlan, LoadResult } from './load.types.ts';
import { RADIUSD_NODE_FLAGS } from '@kasi/radiusd/node-flags';

export type Measurement = LoadResult & {
  cpu: CpuUsage & {
    otherPercent: number;
    /** CPU time per successful reply, µs: robust to a busy machine where throughput is not. */
    serverMicrosPerOk: number | null;
    postgresMicrosPerOk: number | null;
  };
};

const GENERATOR = new URL('./load-generator.ts', import.meta.url).pathname;

export async function runLoad(plan: LoadPlan, serverPid: number): Promise<Measurement> {
  // The generator measures latency from each request's scheduled time, so its own GC pauses
  // would count against the server: it gets the same small young generation as radiusd.
  const child = spawn(process.execPath, [...RADIUSD_NODE_FLAGS, GENERATOR, JSON.stringify(plan)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let start: CpuSnapshot | undefined;
  let cpu: CpuUsage | undefined;
  let result: LoadResult | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as LoadEvent;
    if (event.event === 'window-start') start = snapshotCpu(serverPid);
    else if (event.event === 'window-end' && start) cpu = cpuBetween(start, snapshotCpu(serverPid));
    else if (event.event === 'result') result = event.result;
  }
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  if (!result || !cpu) throw new Error(`load generator failed (exit ${code})`);
  const perOk = (percent: number) =>
    result.okPerSecond > 0 ? Math.round((percent / 100 / result.okPerSecond) * 1e6) : null;
  return {
    ...result,
    cpu: {
      ...cpu,
      otherPercent: otherPercent(cpu, result.generatorCpuPercent),
      serverMicrosPerOk: perOk(cpu.serverPercent),
      postgresMicrosPerOk: perOk(cpu.postgresPercent),
    },
  };
}
