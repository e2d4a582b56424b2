// Brings up the pieces every entry point needs: a database (the configured one, or an
// embedded PostgreSQL under the data directory), migrations, the keyring, and the job queue
// (pg-boss, in the same database; it installs its own schema when it first starts).
import {
  APP_ROLE,
  connect,
  Keyring,
  loadMasterKeys,
  runMigrations,
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '@kasi/db';
import type { AppContext } from './app-context.ts';
import { paymentEndpoints } from './payments/payment-deps.ts';
import { smsEnvironment } from './sms/sms-env.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { setUpAudit } from './audit/audit-setup.ts';
import { bindBillingJobs } from './billing/billing-jobs-scope.ts';
import { JobQueue } from './jobs/job-queue.ts';
import { JOB_KINDS } from './jobs/job-kinds.ts';
import { jobSettings } from './jobs/job-wiring.ts';

export interface Booted {
  app: AppContext;
  databaseUrl: string;
  embedded: EmbeddedServer | null;
  masterKeyGenerated: boolean;
  shutdown(): Promise<void>;
}

export interface BootOptions {
  poolSize?: number;
  /** The server process: pg-boss maintenance and schedules run here (the CLI only enqueues). */
  superviseJobs?: boolean;
}

export async function boot(config: Config, log: Logger, opts: BootOptions = {}): Promise<Booted> {
  let embedded: EmbeddedServer | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: (line) => log.trace({ pg: line.trim() }, 'embedded postgres'),
    });
    databaseUrl = embedded.url;
    log.info({ ms: Date.now() - started, port: config.embeddedPgPort }, 'embedded PostgreSQL started');
  }
  // Migrations run as DATABASE_URL's login, the tables' owner; the server's pool acts as
  // kasi_app, which owns nothing and cannot bypass row-level security (ADR 0019).
  const owner = connect(databaseUrl, { max: 2, applicationName: 'kasi-migrate' });
  try {
    await runMigrations(owner);
  } catch (e) {
    await embedded?.stop();
    throw e;
  } finally {
    await owner.close();
  }
  const handle = connect(config.appDatabaseUrl ?? databaseUrl, {
    max: opts.poolSize ?? 10,
    applicationName: 'kasi-server',
    role: APP_ROLE,
  });
  const { keys, generated } = await loadMasterKeys(config.masterKey);
  if (generated)
    log.warn({ file: config.masterKey.file }, 'generated a master key; back it up or set KASI_MASTER_KEY');
  const audit = setUpAudit(handle.db, {
    masterKeys: keys,
    headFile: config.audit.headFile,
    webhookUrl: config.audit.headWebhook,
    log,
  });
  const app: AppContext = {
    db: handle.db,
    handle,
    keyring: new Keyring(keys),
    audit,
    log,
    sessionTtlMs: config.sessionTtlMs,
    publicUrl: config.publicUrl,
    jobs: new JobQueue({
      connectionString: databaseUrl,
      log,
      kinds: JOB_KINDS,
      settings: jobSettings(config),
      supervise: opts.superviseJobs ?? false,
      // The server's workers wake on NOTIFY for the restore path (ADR 0020); the CLI only enqueues.
      listen: opts.superviseJobs ?? false,
      pollingIntervalSeconds: Math.max(0.5, config.jobs.pollMs / 1000),
    }),
  };
  bindBillingJobs(app.db, app.jobs);
  app.payments = {
    publicUrl: config.publicUrl,
    endpoints: paymentEndpoints(config.payments),
    trustedProxies: config.http.trustedProxies,
  };
  app.sms = smsEnvironment(config);
  return {
    app,
    databaseUrl,
    embedded,
    masterKeyGenerated: generated,
    async shutdown() {
      await app.jobs.stop();
      await handle.close();
      await audit.heads.close();
      await embedded?.stop();
    },
  };
}
