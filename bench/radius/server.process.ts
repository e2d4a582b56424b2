// A RADIUS server under test as a child process: output to a log file, a readiness probe
// that sends a real Access-Request, and a stop that always ends it (TERM, then KILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { Code, radiusRequest } from '@kasi/radius';
import { accessRequest, type Subscriber } from './request.factory.ts';

export interface ServerProcess {
  name: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

const running = new Set<ChildProcess>();
// Never leave a server behind, whatever way the bench ends.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function spawnServer(o: SpawnOptions): ServerProcess {
  const log = openSync(o.logFile, 'a');
  const child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', log, log] });
  if (child.pid === undefined) throw new Error(`${o.name}: could not start ${o.command}`);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  return {
    name: o.name,
    pid: child.pid,
    logFile: o.logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface ProbeTarget {
  port: number;
  secret: string;
  subscriber: Subscriber;
}

/** Waits until the server accepts a real login; a Reject means it is up but misconfigured. */
export async function waitUntilReady(
  server: ServerProcess,
  target: ProbeTarget,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exchange = await radiusRequest({
      host: '127.0.0.1',
      port: target.port,
      secret: target.secret,
      packet: accessRequest(1, target.subscriber, target.secret),
      timeoutMs: 1_500, // FreeRADIUS holds a Reject for reject_delay (1 s)
      retries: 0,
    });
    if (exchange.status === 'reply') {
      if (exchange.packet.code === Code.AccessAccept) return;
      throw new Error(
        `${server.name} rejected the probe login; see ${server.logFile}\n${tail(server.logFile)}`,
      );
    }
    if (!isAlive(server.pid))
      throw new Error(`${server.name} exited during start-up:\n${tail(server.logFile)}`);
  }
  throw new Error(`${server.name} did not answer within ${timeoutMs} ms:\n${tail(server.logFile)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
