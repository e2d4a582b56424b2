// What every bench script shares: run-to-run statistics and a fresh database beside the admin
// connection (dropped and made again, so a run never measures the last one's rows).
import postgres from 'postgres';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** The p-quantile of an already sorted list (nearest rank). */
export const quantile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;

/** Each run, the median, the range and the spread (range over median, %) of one figure. */
export function runStats(xs: number[], decimals = 1) {
  const f = 10 ** decimals;
  const round = (x: number) => Math.round(x * f) / f;
  const m = median(xs);
  return {
    runs: xs.map(round),
    median: round(m),
    min: round(Math.min(...xs)),
    max: round(Math.max(...xs)),
    spreadPercent: round(((Math.max(...xs) - Math.min(...xs)) / m) * 100),
  };
}

/** Runs `fn` on a one-connection pool to the admin database and closes it. */
export async function withAdmin<T>(adminUrl: string, fn: (q: postgres.Sql) => Promise<T>): Promise<T> {
  const q = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    return await fn(q);
  } finally {
    await q.end();
  }
}

/** Drops and creates `name` next to the admin database; its URL and the server's version. */
export async function freshBenchDatabase(
  adminUrl: string,
  name: string,
): Promise<{ url: string; pgVersion: string }> {
  const pgVersion = await withAdmin(
    adminUrl,
    async (q) => (await q<{ v: string }[]>`select current_setting('server_version') as v`)[0]?.v ?? '?',
  );
  await withAdmin(adminUrl, async (q) => {
    await q`drop database if exists ${q(name)} with (force)`;
    await q`create database ${q(name)}`;
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), pgVersion };
}
