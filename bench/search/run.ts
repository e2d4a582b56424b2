// pnpm bench:search — find anything on a tenant with 100,000 codes, 20,000 subscribers and
// 50,000 accounting sessions: each kind of query (code with dashes, code prefix, name, phone,
// MAC) through the real service, median of 5 runs, with the plan PostgreSQL chose (EXPLAIN) for
// its index lookups. Run on demand; writes bench/results/search.json.
import { resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { formatVoucherCode } from '@kasi/domain';
import { createBenchApp } from '../vouchers/bench-app.ts';
import { dropBenchDatabase, postgresVersion, recreateBenchDatabase } from '../vouchers/bench-database.ts';
import { describeMachine, loadAverage } from '../vouchers/machine.ts';
import { measureGenerate } from '../vouchers/scenarios.ts';
import { findAnything } from '../../server/src/search/search.service.ts';

const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const resultPath = resolve(import.meta.dirname, '../results/search.json');
const TARGET_MS = 50;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Index names in an EXPLAIN (FORMAT JSON) plan, and whether any node scans a table whole. */
function planSummary(plan: unknown): { indexes: string[]; seqScans: string[] } {
  const indexes = new Set<string>();
  const seqScans = new Set<string>();
  const walk = (n: Record<string, unknown>) => {
    if (typeof n['Index Name'] === 'string') indexes.add(n['Index Name']);
    if (n['Node Type'] === 'Seq Scan') seqScans.add(String(n['Relation Name']));
    for (const c of (n['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(c);
  };
  walk(plan as Record<string, unknown>);
  return { indexes: [...indexes], seqScans: [...seqScans] };
}

const machine = describeMachine(await postgresVersion(adminUrl));
const loadBefore = loadAverage();
const url = await recreateBenchDatabase(adminUrl);
const results: Record<string, unknown>[] = [];
const targets: Record<string, { target: string; actual: string; met: boolean }> = {};
try {
  const t = await createBenchApp(url);
  try {
    const { actor, batchId } = await measureGenerate(t, 100_000);
    const tenant = actor.tenantId;
    await t.app.db.execute(sql`
      insert into subscribers (tenant_id, username, password_enc, plan_id, full_name, phone, mac_address)
      select ${tenant}, 'user' || i, 'x', (select plan_id from vouchers where batch_id = ${batchId} limit 1),
             'Name ' || i, '+2547' || lpad(i::text, 8, '0'),
             upper(rtrim(regexp_replace(lpad(to_hex(i), 12, '0'), '(..)', '\\1:', 'g'), ':'))
        from generate_series(1, 20000) i`);
    await t.app.db.execute(sql`
      insert into nas (tenant_id, name, address, secret_enc) values (${tenant}, 'bench', '192.0.2.1', 'x')`);
    await t.app.db.execute(sql`
      insert into radius_sessions (tenant_id, nas_id, session_key, acct_session_id, user_name, voucher_id,
                                   calling_station_id, started_at, last_update_at, stopped_at)
      select ${tenant}, (select id from nas where tenant_id = ${tenant}), 'k' || i, 'k' || i, v.code, v.id,
             upper(regexp_replace(lpad(to_hex(i + 1000000), 12, '0'), '(..)(?!$)', '\\1-', 'g')),
             now() - interval '1 day', now(), now()
        from (select id, code, row_number() over () as i from vouchers where batch_id = ${batchId} limit 50000) v`);
    await t.app.db.execute(sql`analyze`);
    const [sample] = await t.app.db.execute<{ code: string; mac: string }>(sql`
      select v.code, rs.calling_station_id as mac from radius_sessions rs join vouchers v on v.id = rs.voucher_id
       where rs.tenant_id = ${tenant} limit 1`);
    if (!sample) throw new Error('no sample');
    const queries: [string, string, ReturnType<typeof sql>][] = [
      [
        'code typed with dashes, lower case',
        formatVoucherCode(sample.code).toLowerCase(),
        sql`select code from vouchers where tenant_id = ${tenant} and code like ${`${sample.code}%`} order by code limit 8`,
      ],
      [
        'code by its first 4 characters',
        sample.code.slice(0, 4),
        sql`select code from vouchers where tenant_id = ${tenant} and code like ${`${sample.code.slice(0, 4)}%`} order by code limit 8`,
      ],
      [
        'subscriber by name',
        'name 1234',
        sql`select id from subscribers where tenant_id = ${tenant} and (lower(username) like 'name 1234%' or lower(full_name) like 'name 1234%') limit 8`,
      ],
      [
        'subscriber by phone as said (0712…)',
        '0700 001 234',
        sql`select id from subscribers where tenant_id = ${tenant} and reverse(phone) like reverse('700001234') || '%' limit 8`,
      ],
      [
        'code by the device MAC, other separators',
        sample.mac
          .replace(/-/g, '')
          .toLowerCase()
          .replace(/(....)(?!$)/g, '$1.'),
        sql`select voucher_id from radius_sessions where tenant_id = ${tenant} and calling_station_id is not null
              and upper(regexp_replace(calling_station_id, '[^0-9A-Fa-f]', '', 'g')) = ${sample.mac.replace(/-/g, '')}`,
      ],
    ];
    for (const [name, q, explainable] of queries) {
      await findAnything(t.app, actor, { q }); // warm-up
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        const r = await findAnything(t.app, actor, { q });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        found = r.codes.length + r.subscribers.length + r.routers.length;
      }
      const [explain] = await t.app.db.execute<{ 'QUERY PLAN': unknown[] }>(
        sql`explain (format json) ${explainable}`,
      );
      const plan = planSummary((explain?.['QUERY PLAN']?.[0] as { Plan: unknown }).Plan);
      const ms = median(times);
      results.push({
        name,
        q,
        found,
        medianMs: Number(ms.toFixed(2)),
        spreadMs: [Number(Math.min(...times).toFixed(2)), Number(Math.max(...times).toFixed(2))],
        ...plan,
      });
      targets[name] = {
        target: `< ${TARGET_MS} ms, no full scan`,
        actual: `${ms.toFixed(1)} ms`,
        met: ms < TARGET_MS && plan.seqScans.length === 0 && found > 0,
      };
    }
  } finally {
    await t.close();
  }
} finally {
  await dropBenchDatabase(adminUrl);
}

await mkdir(resolve(import.meta.dirname, '../results'), { recursive: true });
await writeFile(
  resultPath,
  JSON.stringify(
    {
      benchmark: 'search',
      generatedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageBefore: loadBefore, loadAverageAfter: loadAverage() },
      data: { codes: 100_000, subscribers: 20_000, sessions: 50_000, runsPerQuery: RUNS },
      targets,
      results,
      note: 'Whole service call (all kinds in parallel) timed; the plan is EXPLAIN of the lookup that answers the query.',
    },
    null,
    2,
  ) + '\n',
);
console.log(JSON.stringify(targets, null, 2));
if (!Object.values(targets).every((x) => x.met)) process.exitCode = 1;
