// The bench's own database on the shared PostgreSQL server: created empty, migrated with
// the real migrations, dropped afterwards, so a run never touches anyone else's data.
import postgres from 'postgres';

export const BENCH_DATABASE = 'kasi_bench_vouchers';

async function withAdmin<T>(adminUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

export async function recreateBenchDatabase(adminUrl: string): Promise<string> {
  await withAdmin(adminUrl, async (sql) => {
    await sql`drop database if exists ${sql(BENCH_DATABASE)} with (force)`;
    await sql`create database ${sql(BENCH_DATABASE)}`;
  });
  const url = new URL(adminUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

export const dropBenchDatabase = (adminUrl: string) =>
  withAdmin(adminUrl, (sql) => sql`drop database if exists ${sql(BENCH_DATABASE)} with (force)`);

export const postgresVersion = (adminUrl: string) =>
  withAdmin(adminUrl, async (sql) => {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return row?.server_version ?? 'unknown';
  });
