// pnpm bench:web — Lighthouse 12.2.3 (mobile preset, simulated throttling) against the real
// product: `node server/src/main.ts` with its demo data on a fresh database, serving the
// current web build. Pages: the dashboard (signed in as the demo owner), the agent app and
// the login page. At least three runs of each; writes bench/results/web.json with the
// median and spread of each figure and the targets of issue 15 (performance ≥ 95 for the
// dashboard and the agent app).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { describeMachine, loadAverage } from '../vouchers/machine.ts';
import { freshBenchDatabase, median } from '../support/bench-run.ts';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const DATABASE = 'kasi_bench_web';
const ROOT = resolve(import.meta.dirname, '../..');
const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const resultPath = process.env.BENCH_RESULTS_FILE ?? resolve(import.meta.dirname, '../results/web.json');

interface PageSpec {
  name: string;
  path: string;
  signedIn: boolean;
  /** Minimum median performance score (0–100), when the issue sets one. */
  target?: number;
}

const ALL_PAGES: PageSpec[] = [
  { name: 'dashboard', path: '/', signedIn: true, target: 95 },
  { name: 'agent', path: '/agent', signedIn: false, target: 95 },
  { name: 'login', path: '/login', signedIn: false },
];
const only = process.env.BENCH_PAGES?.split(',');
const PAGES = only ? ALL_PAGES.filter((p) => only.includes(p.name)) : ALL_PAGES;

interface Sample {
  performance: number;
  accessibility: number;
  bestPractices: number;
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  cls: number;
  transferKiB: number;
  scriptKiB: number;
  unusedJsKiB: number;
}

function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  return new Promise((ok, fail) => {
    if (kind === 'udp') {
      const s = createSocket('udp4').bind(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => ok(port));
      });
      return;
    }
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

interface Product {
  baseUrl: string;
  email: string;
  password: string;
  child: ChildProcess;
  dataDir: string;
}

async function startProduct(databaseUrl: string): Promise<Product> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kasi-bench-web-'));
  const httpPort = await freePort('tcp');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    KASI_DATA_DIR: dataDir,
    KASI_HTTP_PORT: String(httpPort),
    KASI_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
    KASI_RADIUS_HOST: '127.0.0.1',
    KASI_RADIUS_AUTH_PORT: String(await freePort('udp')),
    KASI_RADIUS_ACCT_PORT: String(await freePort('udp')),
    KASI_RADIUS_METRICS_PORT: String(await freePort('tcp')),
    KASI_DEMO: 'true',
    KASI_DEMO_ROUTER_PORT: String(await freePort('tcp')),
    KASI_MASTER_KEY: randomBytes(32).toString('base64'),
    KASI_LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['server/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Kasi exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`Kasi did not start:\n${out}`);
    const email = /Log in as\s+(\S+)/.exec(out)?.[1];
    const password = /Password\s+(\S+)/.exec(out)?.[1];
    const healthy = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy && email && password) return { baseUrl, email, password, child, dataDir };
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function signIn(p: Product): Promise<string> {
  const res = await fetch(`${p.baseUrl}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email: p.email, password: p.password } }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`demo sign-in failed: ${res.status} ${await res.text()}`);
  return cookie;
}

interface LhAudit {
  numericValue?: number;
  details?: { overallSavingsBytes?: number; items?: { resourceType?: string; transferSize?: number }[] };
}

function sample(lhr: {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, LhAudit>;
}): Sample {
  const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const num = (a: string) => lhr.audits[a]?.numericValue ?? NaN;
  const items = lhr.audits['resource-summary']?.details?.items ?? [];
  const kib = (type: string) => (items.find((i) => i.resourceType === type)?.transferSize ?? 0) / 1024;
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcpMs: Math.round(num('largest-contentful-paint')),
    fcpMs: Math.round(num('first-contentful-paint')),
    tbtMs: Math.round(num('total-blocking-time')),
    cls: Number(num('cumulative-layout-shift').toFixed(3)),
    transferKiB: Number(kib('total').toFixed(1)),
    scriptKiB: Number(kib('script').toFixed(1)),
    unusedJsKiB: Number(
      ((lhr.audits['unused-javascript']?.details?.overallSavingsBytes ?? 0) / 1024).toFixed(1),
    ),
  };
}

async function main() {
  if (!existsSync(join(ROOT, 'web/build/index.html')))
    throw new Error('The web app is not built: run `pnpm build`.');
  const { url: databaseUrl } = await freshBenchDatabase(adminUrl, DATABASE);
  const product = await startProduct(databaseUrl);
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const results: Record<string, Sample[]> = {};
  try {
    const cookie = await signIn(product);
    for (const page of PAGES) {
      results[page.name] = [];
      for (let run = 0; run < RUNS; run++) {
        const load = loadAverage();
        const r = await lighthouse(
          `${product.baseUrl}${page.path}`,
          {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance', 'accessibility', 'best-practices'],
            extraHeaders: page.signedIn ? { Cookie: cookie } : undefined,
          },
          undefined,
        );
        if (!r) throw new Error(`Lighthouse returned nothing for ${page.name}`);
        const failed = (r.lhr as { runtimeError?: { code: string; message: string } }).runtimeError;
        if (failed)
          throw new Error(`Lighthouse could not measure ${page.name}: ${failed.code} ${failed.message}`);
        const s = sample(r.lhr as unknown as Parameters<typeof sample>[0]);
        // BENCH_REPORTS_DIR keeps each run's whole Lighthouse report, to read its audits.
        if (process.env.BENCH_REPORTS_DIR)
          await writeFile(
            join(process.env.BENCH_REPORTS_DIR, `${page.name}-${run + 1}.json`),
            JSON.stringify(r.lhr),
          );
        results[page.name]!.push(s);
        console.log(`${page.name} run ${run + 1}: ${JSON.stringify(s)} (load ${load})`);
      }
    }
  } finally {
    chrome.kill();
    product.child.kill('SIGTERM');
    await new Promise((r) => product.child.once('exit', r));
    await rm(product.dataDir, { recursive: true, force: true });
  }

  const summary: Record<string, Record<string, { median: number; min: number; max: number }>> = {};
  const targets: Record<string, { target: string; actual: number; met: boolean }> = {};
  for (const page of PAGES) {
    const runs = results[page.name]!;
    summary[page.name] = {};
    for (const key of Object.keys(runs[0]!) as (keyof Sample)[]) {
      const xs = runs.map((r) => r[key]);
      summary[page.name]![key] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
    }
    if (page.target !== undefined) {
      const actual = summary[page.name]!.performance!.median;
      targets[`${page.name}MobilePerformance`] = {
        target: `>= ${page.target}`,
        actual,
        met: actual >= page.target,
      };
    }
    const a11y = summary[page.name]!.accessibility!.median;
    targets[`${page.name}Accessibility`] = { target: '= 100', actual: a11y, met: a11y === 100 };
  }
  const report = {
    benchmark: 'web',
    generatedAt: new Date().toISOString(),
    tool: 'lighthouse 12.2.3, mobile preset (simulated 4G throttling, 4x CPU slowdown), Debian chromium',
    machine: { ...describeMachine('local (BENCH_DATABASE_URL)'), loadAverageAtEnd: loadAverage() },
    runsPerPage: RUNS,
    targets,
    pages: summary,
    runs: results,
  };
  await writeFile(resultPath, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(targets, null, 2));
  console.log(`wrote ${resultPath}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
