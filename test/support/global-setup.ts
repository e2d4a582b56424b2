// Once per test run: a PostgreSQL server (TEST_DATABASE_URL, else an embedded one in a
// temporary directory) and a migrated template database that suites clone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '@kasi/db';
import { createTemplateDatabase, dropDatabase } from '@kasi/db/testing';
import { checkRunLogs, RUN_LOG_DIR_ENV } from './run-secrets.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

let embedded: EmbeddedServer | null = null;
let dir: string | null = null;
let template: string | null = null;
let adminUrl: string | null = null;
/** e2e only: where every Kasi process of the run appends its output (run-secrets.ts). */
let runLogDir: string | null = null;

export async function setup(project: TestProject) {
  if (project.name === 'e2e') {
    runLogDir = await mkdtemp(join(tmpdir(), 'kasi-e2e-run-logs-'));
    process.env[RUN_LOG_DIR_ENV] = runLogDir;
  }
  adminUrl = process.env.TEST_DATABASE_URL ?? null;
  if (!adminUrl) {
    dir = await mkdtemp(join(tmpdir(), 'kasi-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: 20000 + Math.floor(Math.random() * 20000) });
    adminUrl = embedded.url;
  }
  template = await createTemplateDatabase(adminUrl);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
}

export async function teardown() {
  if (adminUrl && template) await dropDatabase(adminUrl, template);
  await embedded?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (runLogDir) await checkNoCredentialLogged(runLogDir);
}

/**
 * The whole e2e run's logs (server, radiusd, CLI) against every voucher code, password, router
 * password and shared secret the tests used: one found fails the run (issue 11, Must exist 7).
 */
async function checkNoCredentialLogged(logDir: string): Promise<void> {
  const { logs, secrets, leaks } = await checkRunLogs(logDir);
  if (leaks.length) {
    const lines = leaks.map((l) => `  a ${l.kind} (${l.hint}) in ${l.file}`);
    throw new Error(`Credentials in the logs of the e2e run (kept in ${logDir}):\n${lines.join('\n')}`);
  }
  process.stdout.write(`e2e run logs: ${logs} process logs, ${secrets} credentials, none logged\n`);
  await rm(logDir, { recursive: true, force: true });
}
