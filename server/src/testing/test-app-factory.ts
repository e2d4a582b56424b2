// A real AppContext on a given database, plus factories that go through the real services.
// Shared by the test suites (test-app.ts, one fresh database per suite) and the benchmarks
// (bench/vouchers), so both exercise the same code the server runs.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring, masterKeyFromBytes, type DbHandle } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { createLogger } from '../logger.ts';
import { setUpAudit } from '../audit/audit-setup.ts';
import { addMember, createTenant } from '../tenants/tenant.service.ts';
import { bindBillingJobs } from '../billing/billing-jobs-scope.ts';
import { JobQueue } from '../jobs/job-queue.ts';
import { JOB_KINDS } from '../jobs/job-kinds.ts';
import { DEFAULT_JOB_SETTINGS } from '../jobs/job-kind.ts';

/** Jobs in tests: three attempts, retried at once, so retry and give-up paths run in a second. */
export const TEST_JOB_SETTINGS = { ...DEFAULT_JOB_SETTINGS, maxAttempts: 3, retryDelaySeconds: 0 };

export interface TestApp {
  app: AppContext;
  url: string;
  close(): Promise<void>;
  newTenant(overrides?: {
    slug?: string;
    currency?: string;
  }): Promise<{ actor: Actor; ownerEmail: string; ownerPassword: string }>;
}

export function testAppOn(db: {
  handle: DbHandle;
  url: string;
  close(): Promise<void>;
  name?: string;
}): TestApp {
  const masterKey = masterKeyFromBytes(randomBytes(32));
  const log = createLogger('silent', db.name ?? 'test');
  const headFile = join(tmpdir(), `kasi-audit-heads-${randomBytes(6).toString('hex')}.log`);
  const app: AppContext = {
    db: db.handle.db,
    handle: db.handle,
    keyring: new Keyring([masterKey]),
    audit: setUpAudit(db.handle.db, {
      masterKeys: [masterKey],
      headFile,
      webhookUrl: null,
      log,
    }),
    log,
    sessionTtlMs: 3_600_000,
    // Started on first use: suites that enqueue nothing never install pg-boss's schema.
    jobs: new JobQueue({
      connectionString: db.url,
      log,
      kinds: JOB_KINDS,
      settings: TEST_JOB_SETTINGS,
      poolSize: 2,
      pollingIntervalSeconds: 0.5,
      listen: true,
    }),
  };
  bindBillingJobs(app.db, app.jobs);
  return {
    app,
    url: db.url,
    async close() {
      await app.jobs.stop();
      await app.audit.heads.close();
      await rm(headFile, { force: true });
      await db.close();
    },
    async newTenant(overrides = {}) {
      const slug = overrides.slug ?? `t-${randomBytes(4).toString('hex')}`;
      const ownerEmail = `owner@${slug}.test`;
      const ownerPassword = 'correct horse battery';
      const tenant = await createTenant(app.db, { name: slug, slug, currency: overrides.currency ?? 'KES' });
      const owner = await addMember(app.db, {
        tenantId: tenant.id,
        email: ownerEmail,
        name: 'Owner',
        password: ownerPassword,
        role: 'owner',
      });
      return {
        actor: { tenantId: tenant.id, userId: owner.id, label: ownerEmail, role: 'owner', requestId: null },
        ownerEmail,
        ownerPassword,
      };
    },
  };
}
