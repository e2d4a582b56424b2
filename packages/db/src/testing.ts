// Test databases: one migrated template per test run, cloned per suite so suites never
// see each other's rows. Works against TEST_DATABASE_URL or an embedded server.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connect, type DbHandle } from './client.ts';
import { runMigrations } from './migrate.ts';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function createTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `kasi_tpl_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (sql) => sql.unsafe(`create database ${ident(name)}`));
  const handle = connect(withDatabase(adminUrl, name), { max: 2 });
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
  return name;
}

export async function createTestDatabase(
  adminUrl: string,
  template: string,
): Promise<{ url: string; handle: DbHandle; drop(): Promise<void> }> {
  const name = `${template.replace('tpl', 't')}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (sql) => sql.unsafe(`create database ${ident(name)} template ${ident(template)}`));
  const url = withDatabase(adminUrl, name);
  const handle = connect(url, { max: 5 });
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (sql) => sql.unsafe(`drop database if exists ${ident(name)} with (force)`));
}

/** Drops databases left behind by earlier runs that were killed (older than an hour is not tracked: all of them). */
export async function dropDatabasesLike(adminUrl: string, prefix: string): Promise<void> {
  const rows = await admin(
    adminUrl,
    (sql) => sql<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + '%'}`,
  );
  for (const r of rows) await dropDatabase(adminUrl, r.datname);
}
