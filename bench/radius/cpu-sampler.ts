// Where the CPU went during a measurement window: the server under test, all PostgreSQL
// backends, and the machine as a whole (from /proc). On a 2-core box the three compete, so
// these numbers explain a throughput figure better than the figure alone.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuSnapshot {
  at: number;
  serverTicks: number;
  postgresTicks: number;
  machineBusy: number;
  machineTotal: number;
}

export interface CpuUsage {
  /** Percent of one core. */
  serverPercent: number;
  postgresPercent: number;
  /** Percent of all cores, everything on the machine (other engineers' work included). */
  machineBusyPercent: number;
}

/** CPU used by anything but the server, PostgreSQL and the generator, in percent of one core. */
export function otherPercent(cpu: CpuUsage, generatorPercent: number): number {
  const all = cpu.machineBusyPercent * availableParallelism();
  return Math.max(0, Math.round(all - cpu.serverPercent - cpu.postgresPercent - generatorPercent));
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function processTicks(pid: number | string): { comm: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of the full line, 12 and 13 after "pid (comm)".
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process ended between listing and reading
  }
}

function postgresTicks(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = processTicks(pid);
    if (p?.comm === 'postgres') total += p.ticks;
  }
  return total;
}

/** Busy and total jiffies of all CPUs since boot. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export function snapshotCpu(serverPid: number): CpuSnapshot {
  const machine = machineTicks();
  return {
    at: performance.now(),
    serverTicks: processTicks(serverPid)?.ticks ?? 0,
    postgresTicks: postgresTicks(),
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUsage {
  const seconds = (b.at - a.at) / 1000;
  const percentOfCore = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 1000) / 10;
  const total = b.machineTotal - a.machineTotal;
  return {
    serverPercent: percentOfCore(b.serverTicks - a.serverTicks),
    postgresPercent: percentOfCore(b.postgresTicks - a.postgresTicks),
    machineBusyPercent: total > 0 ? Math.round(((b.machineBusy - a.machineBusy) / total) * 1000) / 10 : 0,
  };
}
