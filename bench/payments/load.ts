// The open-loop load generator of `pnpm bench:payments`, run as its own process so its CPU is
// not the server's event loop: reads prepared deliveries (path, headers, body) from the file
// named by argv[2], posts them to argv[3] at argv[4] per second over keep-alive connections,
// and prints one JSON line: latency of each acknowledgement from its *scheduled* send time
// (so a stalled server cannot hide queueing), status counts and the achieved rate.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const [file, base, rateText] = process.argv.slice(2);
const deliveries = JSON.parse(readFileSync(file!, 'utf8')) as Delivery[];
const rate = Number(rateText);
const target = new URL(base!);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const latencies: number[] = [];
/** Per acknowledgement, when it was scheduled (ms from the first send) and how late it was sent. */
const scheduledAt: number[] = [];
const sendLag: number[] = [];
const statuses: Record<string, number> = {};

function post(d: Delivery, scheduled: number): Promise<void> {
  const lag = performance.now() - scheduled;
  return new Promise((resolve) => {
    const body = Buffer.from(d.body);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: d.path,
        method: 'POST',
        agent,
        headers: { ...d.headers, 'content-length': String(body.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - scheduled);
          scheduledAt.push(scheduled - start);
          sendLag.push(lag);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      statuses.error = (statuses.error ?? 0) + 1;
      resolve();
    });
    req.end(body);
  });
}

const interval = 1000 / rate;
const start = performance.now() + 100;
const inflight: Promise<void>[] = [];
let next = 0;
await new Promise<void>((done) => {
  const tick = () => {
    const now = performance.now();
    // Send everything whose time has come (timers are coarser than 0.5 ms).
    while (next < deliveries.length && start + next * interval <= now) {
      inflight.push(post(deliveries[next]!, start + next * interval));
      next++;
    }
    if (next >= deliveries.length) return done();
    setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
  };
  setTimeout(tick, 100);
});
await Promise.all(inflight);
const elapsed = (performance.now() - start) / 1000;
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ latencies, scheduledAt, sendLag, statuses, elapsedSeconds: elapsed })}\n`,
);
