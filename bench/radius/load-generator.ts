// The load generator: a separate process (so it never shares an event loop with the server
// under test) that drives one RADIUS port for a fixed time and prints one JSON result.
//   closed loop: keeps `concurrency` requests in flight; replies per second = saturation.
//   open loop: sends at a fixed rate on a catch-up timer; latency is measured from the
//   scheduled send time, so a stalled server cannot hide its queueing delay.
// Usage: node bench/radius/load-generator.ts '<LoadPlan as JSON>'
import { readFileSync, writeFileSync } from 'node:fs';
import { Code, getString, verifyResponse } from '@kasi/radius';
import { LatencySamples } from './latency.ts';
import type { LoadEvent, LoadPlan, LoadResult } from './load.types.ts';
import { accessRequest, accountingInterim, accountingStart, type Subscriber } from './request.factory.ts';
import { UdpPool, type Outstanding } from './udp-pool.ts';

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const users = readFileSync(plan.usersFile, 'utf8').split('\n');
const span = plan.userTo - plan.userFrom;

const emit = (e: LoadEvent) => process.stdout.write(JSON.stringify(e) + '\n');

let seq = 0;
const t0 = performance.now();
const windowStart = t0 + plan.warmupMs;
const windowEnd = windowStart + plan.durationMs;
const counts = { sent: 0, ok: 0, rejects: 0, lost: 0, skipped: 0 };
const rejectMessages: Record<string, number> = {};
const latency = new LatencySamples();

function subscriber(i: number): Subscriber {
  const u = plan.userFrom + (i % span);
  return { index: i, user: users[u] ?? '' };
}

/** The next request of this run, for a given Identifier. */
function build(identifier: number): Buffer {
  const k = seq++;
  const now = new Date();
  if (plan.kind === 'auth') return accessRequest(identifier, subscriber(k), plan.secret);
  if (plan.kind === 'acct-start') return accountingStart(identifier, subscriber(k), plan.secret, now);
  const session = k % plan.sessions;
  // Counters grow each pass over the sessions, as a live session's would.
  const seconds = 60 + Math.floor(k / plan.sessions) * 60;
  return accountingInterim(identifier, subscriber(session), plan.secret, now, seconds);
}

const inWindow = (t: number) => t >= windowStart && t < windowEnd;

function onReply(request: Outstanding, reply: Buffer): boolean {
  const verified = verifyResponse(reply, request.authenticator, plan.secret);
  if (!verified.ok) return false;
  const now = performance.now();
  if (plan.mode === 'open' ? request.counted : inWindow(now)) {
    if (verified.packet.code === Code.AccessReject) {
      counts.rejects++;
      const message = getString(verified.packet, 'Reply-Message') ?? '(no Reply-Message)';
      rejectMessages[message] = (rejectMessages[message] ?? 0) + 1;
    } else {
      counts.ok++;
      latency.add(now - request.origin, request.origin);
    }
  }
  // The next request goes out after the pool has freed this one's Identifier.
  if (plan.mode === 'closed') queueMicrotask(() => sendNext(now));
  return true;
}

function onLost(request: Outstanding): void {
  if (request.counted) counts.lost++;
  if (plan.mode === 'closed') sendNext(performance.now());
}

const pool = await UdpPool.open(plan.sockets, plan.host, plan.port, onReply);

function sendNext(now: number): void {
  if (now >= windowEnd) return;
  const counted = inWindow(now);
  if (pool.send(build, now, counted) && counted) counts.sent++;
}

/** Open loop: send everything that is due, measured against the schedule, not the clock. */
function pace(): Promise<void> {
  const interval = 1000 / plan.rate;
  let n = 0;
  return new Promise((done) => {
    const tick = () => {
      const now = performance.now();
      for (let origin = t0 + n * interval; origin <= now && origin < windowEnd; origin = t0 + n * interval) {
        n++;
        const counted = inWindow(origin);
        if (!pool.send(build, origin, counted)) {
          if (counted) counts.skipped++;
        } else if (counted) counts.sent++;
      }
      // A generator running behind schedule keeps going until every due request is out.
      if (t0 + n * interval < windowEnd) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
}

const cpuAtStart = { usage: process.cpuUsage(), at: 0 };
setTimeout(() => {
  cpuAtStart.usage = process.cpuUsage();
  cpuAtStart.at = performance.now();
  emit({ event: 'window-start' });
}, windowStart - performance.now());
let generatorCpuPercent = 0;
setTimeout(() => {
  const used = process.cpuUsage(cpuAtStart.usage);
  generatorCpuPercent = round1(
    ((used.user + used.system) / 1000 / (performance.now() - cpuAtStart.at)) * 100,
  );
  emit({ event: 'window-end' });
}, windowEnd - performance.now());

const sweeper = setInterval(() => pool.expire(performance.now(), plan.timeoutMs, onLost), 50);

if (plan.mode === 'closed') for (let i = 0; i < plan.concurrency; i++) sendNext(performance.now());
const paced = plan.mode === 'open' ? pace() : Promise.resolve();

// Let the last requests be answered or time out, then report.
await paced;
await new Promise<void>((resolve) => {
  const check = setInterval(() => {
    const now = performance.now();
    if (now >= windowEnd && (pool.inFlight === 0 || now >= windowEnd + plan.timeoutMs + 200)) {
      clearInterval(check);
      resolve();
    }
  }, 20);
});
clearInterval(sweeper);
await pool.close();
if (plan.traceFile) writeFileSync(plan.traceFile, latency.toCsv(-performance.timeOrigin));

const result: LoadResult = {
  kind: plan.kind,
  mode: plan.mode,
  windowMs: plan.durationMs,
  ...counts,
  unmatched: pool.unmatched,
  okPerSecond: Math.round((counts.ok / plan.durationMs) * 1000),
  latency: latency.summarize(),
  sessionsOpened: plan.kind === 'acct-start' ? seq : 0,
  generatorCpuPercent,
  rejectMessages,
};
emit({ event: 'result', result });

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
