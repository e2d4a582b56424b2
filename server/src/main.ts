// The run command: database (embedded unless DATABASE_URL), migrations, first-run demo,
// the HTTP server (PWA + API) and radiusd as a child process. Ctrl-C stops all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { withTenantLookup } from '@kasi/db';
import { boot } from './boot.ts';
import { createHttpServer } from './http/http-server.ts';
import { isEmpty, seedDemo, type DemoCredentials } from './demo/demo-seed.ts';
import { demoRouterBanner, startDemoNetwork, type DemoNetwork } from './demo/demo-router.ts';
import { pollAllRouters } from './routers/router.service.ts';
import { createJobs } from './jobs/job-wiring.ts';
import { endAgentEventStreams } from './agents/agent-events.route.ts';
import { otpVerifyFrom } from './self-service/twilio-verify.ts';
import { moveLegacyJobs } from './jobs/legacy-jobs.ts';
import { RADIUSD_NODE_FLAGS } from '@kasi/radiusd/node-flags';

const RADIUSD_MAIN = fileURLToPath(new URL('../../radiusd/src/main.ts', import.meta.url));
const startedAt = Date.now();
const config = loadConfig();
const log = createLogger(config.logLevel, 'server');
const booted = await boot(config, log, { superviseJobs: true });
const { app } = booted;
// pg-boss installs or migrates its schema here, then every job kind's queue and schedule.
await app.jobs.start();
await moveLegacyJobs(app);

let demo: DemoCredentials | null = null;
if (config.demo && (await isEmpty(app))) demo = await withTenantLookup(() => seedDemo(app));

const jobs = createJobs(app, config);
const server = createHttpServer(
  app,
  config.webDir,
  { smsHooks: jobs.smsHooks, payments: jobs.payments, otpVerify: otpVerifyFrom(config.sms) },
  { ...config.http, publicUrl: config.publicUrl },
);
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.http.port, config.http.host, resolve);
});

let radiusd: ChildProcess | null = null;
if (config.radiusd === 'spawn') {
  radiusd = spawn(process.execPath, [...RADIUSD_NODE_FLAGS, RADIUSD_MAIN], {
    // The IPC channel lets radiusd notice if this process dies without stopping it.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATABASE_URL: booted.databaseUrl, KASI_DATA_DIR: config.dataDir },
  });
  radiusd.on('exit', (code, signal) => {
    if (!stopping) log.error({ code, signal }, 'radiusd exited');
  });
}

let demoNetwork: DemoNetwork | null = null;
if (config.demo && config.demoRouterPort) {
  demoNetwork = await startDemoNetwork(config.dataDir, config.demoRouterPort).catch(
    (err: unknown) => (log.warn({ err }, 'demo router not started'), null),
  );
}
const poller = config.routerPollMs
  ? setInterval(
      () => void pollAllRouters(app).catch((err: unknown) => log.error({ err }, 'router health poll failed')),
      config.routerPollMs,
    )
  : null;
// KASI_JOB_POLL_SECONDS=0: this process enqueues and schedules but runs no jobs.
const workers = config.jobs.pollMs > 0 ? await jobs.start() : null;

log.info({ url: config.publicUrl, ms: Date.now() - startedAt }, 'Kasi is up');
if (demo) printDemo(demo);
if (demoNetwork) process.stdout.write(demoRouterBanner(demoNetwork));

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  if (poller) clearInterval(poller);
  await workers?.stop();
  await demoNetwork?.router.close();
  radiusd?.kill('SIGTERM');
  server.closeIdleConnections();
  endAgentEventStreams(); // open event streams never end by themselves
  await new Promise((r) => server.close(r));
  if (radiusd && radiusd.exitCode === null) await new Promise((r) => radiusd?.once('exit', r));
  await booted.shutdown();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

function printDemo(d: DemoCredentials) {
  // Printed once, on the console only (never to the structured log).
  process.stdout.write(
    [
      '',
      '  First run: a demo tenant was created. These are shown only once.',
      `  Open        ${config.publicUrl}`,
      `  Log in as   ${d.email}`,
      `  Password    ${d.password}`,
      `  RADIUS      client ${d.nasAddress}, shared secret ${d.nasSecret}`,
      `  Try         echo "User-Name=${d.testCode},User-Password=${d.testCode},Message-Authenticator=0x00" | radclient -x 127.0.0.1:${config.radiusAuthPort} auth ${d.nasSecret}`,
      '',
    ].join('\n') + '\n',
  );
}
