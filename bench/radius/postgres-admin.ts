// Creates and drops the bench's own databases on the shared PostgreSQL server, so a run
// never touches anyone else's data and always starts from empty tables.
import postgres from 'postgres';

export interface BenchDatabase {
  name: string;
  url: string;
}

export function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function recreateDatabase(adminUrl: string, name: string): Promise<BenchDatabase> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`drop database if exists ${sql(name)} with (force)`;
    await sql`create database ${sql(name)}`;
  } finally {
    await sql.end();
  }
  return { name, url: databaseUrl(adminUrl, name) };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`drop database if exists ${sql(name)} with (force)`;
  } finally {
    await sql.end();
  }
}

/** PostgreSQL settings that decide how fast a commit is, for the report. */
export async function describePostgres(adminUrl: string): Promise<Record<string, string>> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql<{ name: string; setting: string }[]>`
      select name, setting from pg_settings
       where name in ('server_version', 'max_connections', 'shared_buffers', 'synchronous_commit',
                      'fsync', 'wal_sync_method', 'commit_delay', 'work_mem')`;
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await sql.end();
  }
}

/**
 * A text[] literal for `${textArray(xs)}::text[]`. postgres.js's own array serialisation
 * depends on type information it may not have fetched yet on a fresh connection.
 */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
