// FreeRADIUS's side of the fixture: its own PostgreSQL schema as Debian ships it, and per
// user the radcheck/radreply rows an operator writes for the same plan Kasi's users have.
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { textArray } from './postgres-admin.ts';

export const FREERADIUS_SCHEMA = '/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql';

/** The "stronger peer" tuning: serves simul_count_query (open sessions by UserName). */
export const TUNING_INDEX_SQL =
  'create index radacct_open_username on radacct (username) where acctstoptime is null';

export async function seedFreeradius(url: string, codes: string[]): Promise<void> {
  await withSql(url, async (sql) => {
    await sql.unsafe(await readFile(FREERADIUS_SCHEMA, 'utf8')).simple();
    const users = textArray(codes);
    // Password check plus Simultaneous-Use := 1, the equivalent of Kasi's shared_users = 1.
    await sql`
      insert into radcheck (username, attribute, op, value)
      select c, a.attribute, ':=', case when a.attribute = 'Cleartext-Password' then c else '1' end
        from unnest(${users}::text[]) with ordinality as u(c, n)
       cross join (values (1, 'Cleartext-Password'), (2, 'Simultaneous-Use')) as a(k, attribute)
       order by u.n, a.k`;
    // The plan: 1M up / 5M down and one hour, as Kasi's plan grants.
    await sql`
      insert into radreply (username, attribute, op, value)
      select c, a.attribute, '=', a.value
        from unnest(${users}::text[]) with ordinality as u(c, n)
       cross join (values (1, 'Mikrotik-Rate-Limit', '1M/5M'), (2, 'Session-Timeout', '3600'))
             as a(k, attribute, value)
       order by u.n, a.k`;
    await sql`analyze`;
  });
}

/** Empties radacct and radpostauth (both fill during a run) and vacuums, between scenarios. */
export async function resetFreeradiusSessions(url: string): Promise<void> {
  await withSql(url, async (sql) => {
    await sql`truncate radacct, radpostauth`;
    await sql`vacuum analyze`;
    // Flush dirty pages now rather than in a checkpoint during the next measurement.
    await sql`checkpoint`;
  });
}

/** Open radacct rows (AcctStopTime null) for these users, shaped like a MikroTik Start. */
export async function openFreeradiusSessions(url: string, codes: string[]): Promise<void> {
  await withSql(url, async (sql) => {
    await sql`
      insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, nasportid, nasporttype,
                           acctstarttime, acctupdatetime, acctsessiontime, acctauthentic,
                           calledstationid, callingstationid, servicetype, framedipaddress,
                           acctinputoctets, acctoutputoctets)
      select 'OPEN' || (n - 1), md5('open-' || c || '-' || n), c, '127.0.0.1', (n - 1)::text,
             'Wireless-802.11', now() - interval '10 minutes', now() - interval '1 minute', 540,
             'RADIUS', 'hotspot1', '', '', null, 0, 0
        from unnest(${textArray(codes)}::text[]) with ordinality as u(c, n)`;
    await sql`vacuum analyze`;
  });
}

export async function tuneFreeradius(url: string): Promise<void> {
  await withSql(url, async (sql) => {
    await sql.unsafe(TUNING_INDEX_SQL);
    await sql`analyze radacct`;
  });
}

async function withSql(url: string, work: (sql: postgres.Sql) => Promise<void>): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await work(sql);
  } finally {
    await sql.end();
  }
}
