// Once per test run: a PostgreSQL server (TEST_DATABASE_URL, else an embedded one in a
// temporary directory) and a migrated template database that suites clone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '@kasi/db';
import { createTemplateDatabase, dropDatabase } from '@kasi/db/testing';

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

export async function setup(project: TestProject) {
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
}
