// radiusd: RADIUS authentication and accounting for MikroTik routers, on Kasi's schema.
import { createServer } from 'node:http';
import { connect, Keyring, loadMasterKeys, RADIUSD_ROLE } from '@kasi/db';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { RadiusMetrics } from './metrics.ts';
import { NasCache } from './nas-cache.ts';
import { startRadiusServer } from './radius-server.ts';
import { AccountingSpool } from './accounting-spool.ts';
import { AccountingWriter } from './accounting-writer.ts';
import { OutageCache } from './outage-cache.ts';
import { PlanCache } from './plan-cache.ts';
import { closeStaleSessions } from './stale-sessions.ts';
import { SessionEnforcer } from './session-enforcer.ts';
import { reportListening, SELF_REPORT_EVERY_MS } from './self-report.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
// As kasi_radiusd: it reads every NAS, and the rest under the NAS's tenant (ADR 0019).
const handle = connect(config.databaseUrl, {
  max: config.dbPool,
  applicationName: 'kasi-radiusd',
  role: RADIUSD_ROLE,
});
const { keys } = await loadMasterKeys(config.masterKey);
const keyring = new Keyring(keys);
const nasCache = new NasCache(handle, keyring);
await nasCache.follow((err) => log.error({ err }, 'NAS reload failed'));
const metrics = new RadiusMetrics();
const spool = new AccountingSpool(config.spoolDir);
await spool.init();
const accounting = new AccountingWriter(handle.db, spool, log);
// Replay whatever a previous run spooled, then keep trying while anything waits.
await accounting.drain();
const drainTimer = setInterval(() => void accounting.drain(), 2_000);
const staleTimer = setInterval(() => {
  closeStaleSessions(handle.db).then(
    (n) => n && log.info({ closed: n }, 'closed stale sessions'),
    (err: unknown) => log.warn({ err }, 'stale session cleanup failed'),
  );
}, 60_000);
const outageCache = new OutageCache(config.outageAuthMs);
const server = await startRadiusServer({
  db: handle.db,
  keyring,
  accounting,
  enforcer: new SessionEnforcer(log, metrics),
  outageCache,
  nasCache,
  metrics,
  log,
  host: config.host,
  authPort: config.authPort,
  acctPort: config.acctPort,
});
metrics.caches = () => ({
  nas: nasCache.stats,
  plan: PlanCache.for(handle.db).stats,
  outage: outageCache.stats,
});
metrics.gauges = () => ({
  kasi_radius_outage_cache_entries: outageCache.size,
  kasi_radius_nas_clients: nasCache.size,
  kasi_radius_in_flight: server.inFlight(),
  kasi_radius_spool_depth: accounting.spoolDepth,
});

const http = createServer((req, res) => {
  if (req.url === '/metrics')
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.render());
  else if (req.url === '/healthz')
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  else res.writeHead(404).end();
});
http.on('error', (err) => log.error({ err }, 'metrics endpoint unavailable'));
if (config.metrics.port) http.listen(config.metrics.port, config.metrics.host);

const listening = { host: config.host, authPort: server.authPort, acctPort: server.acctPort };
const touch = await reportListening(handle.db, listening);
const reportTimer = setInterval(() => {
  touch().catch((err: unknown) => log.warn({ err }, 'could not report radiusd as running'));
}, SELF_REPORT_EVERY_MS);
log.info({ auth: server.authPort, acct: server.acctPort, clients: nasCache.size }, 'radiusd listening');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(drainTimer);
  clearInterval(staleTimer);
  clearInterval(reportTimer);
  await server.close();
  http.close();
  await handle.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// Started by the server: stop with it, even when it died without a word (the IPC channel closes).
if (process.send) process.on('disconnect', () => void stop());
