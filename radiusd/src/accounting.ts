// Accounting: upsert one row per session on (NAS, session key), so retransmissions and
// replays never double-count. A voucher's stored usage is the total of its closed sessions,
// kept by a trigger when a session closes; open sessions are added when usage is read.
// Records are written in batches — one set-based statement for the sessions that exist and
// one for new ones — so many accounting packets share a commit (group commit) while each
// still waits for it.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import { radiusSessions, withTenant, type Database, type Executor } from '@kasi/db';
import { normalizeVoucherCode } from '@kasi/domain';

export type AcctStatus = 'start' | 'interim' | 'stop' | 'on' | 'off';

export interface AccountingRecord {
  status: AcctStatus;
  nasId: string;
  tenantId: string;
  userName: string;
  acctSessionId: string;
  nasPort: string | null;
  framedIp: string | null;
  callingStationId: string | null;
  sessionTime: number;
  inputOctets: bigint;
  outputOctets: bigint;
  terminateCause: string | null;
  /** When the NAS says the event happened (Event-Timestamp or now − Acct-Delay-Time). */
  at: Date;
}

/** Unambiguous whatever the parts contain (PostgreSQL text cannot hold NUL separators). */
export const sessionKey = (r: Pick<AccountingRecord, 'userName' | 'acctSessionId' | 'nasPort'>) =>
  JSON.stringify([r.userName, r.acctSessionId, r.nasPort ?? '']);

export interface AccountingOutcome {
  /** The session is still open but its voucher has no time, data or validity left. */
  exhausted: boolean;
}

export async function recordAccounting(db: Database, r: AccountingRecord): Promise<AccountingOutcome> {
  const [outcome] = await recordAccountingBatch(db, [r]);
  return outcome ?? { exhausted: false };
}

/** Accounting-On/Off: the NAS rebooted or is going down, so every open session of it ends. */
export const isBarrier = (r: AccountingRecord) => r.status === 'on' || r.status === 'off';

/**
 * Writes records tenant by tenant, each under its tenant's row-level security (ADR 0019): a
 * batch from one tenant's NASes — the common case — is one group.
 */
export async function recordAccountingBatch(
  db: Database,
  records: AccountingRecord[],
): Promise<AccountingOutcome[]> {
  const first = records[0]?.tenantId ?? '';
  if (records.every((r) => r.tenantId === first))
    return withTenant(first, () => recordTenantBatch(db, records));
  const byTenant = new Map<string, number[]>();
  for (const [i, r] of records.entries()) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), i]);
  const outcomes: AccountingOutcome[] = records.map(() => ({ exhausted: false }));
  for (const [tenantId, indexes] of byTenant) {
    const out = await withTenant(tenantId, () =>
      recordTenantBatch(
        db,
        indexes.map((i) => records[i]!),
      ),
    );
    indexes.forEach((i, k) => (outcomes[i] = out[k] ?? { exhausted: false }));
  }
  return outcomes;
}

/** Writes one tenant's records in arrival order; Accounting-On/Off act as barriers. */
async function recordTenantBatch(db: Database, records: AccountingRecord[]): Promise<AccountingOutcome[]> {
  if (!records.some(isBarrier)) {
    // The common case needs no transaction: each statement commits on its own, no BEGIN/COMMIT
    // round trips. Every record is in exactly one of them, and each is idempotent.
    const outcomes: AccountingOutcome[] = records.map(() => ({ exhausted: false }));
    if (records.length) await upsertSessions(db, records, [...records.keys()], outcomes);
    return outcomes;
  }
  return db.transaction(async (tx) => {
    const outcomes: AccountingOutcome[] = records.map(() => ({ exhausted: false }));
    let segment: number[] = [];
    const flush = async () => {
      if (segment.length) await upsertSessions(tx, records, segment, outcomes);
      segment = [];
    };
    for (const [i, r] of records.entries()) {
      if (!isBarrier(r)) {
        segment.push(i);
        continue;
      }
      await flush();
      // The NAS rebooted or is going down: none of its sessions survive.
      await tx
        .update(radiusSessions)
        .set({ stoppedAt: r.at, terminateCause: r.status === 'on' ? 'NAS-Reboot' : 'NAS-Request' })
        .where(and(eq(radiusSessions.nasId, r.nasId), isNull(radiusSessions.stoppedAt)));
    }
    await flush();
    return outcomes;
  });
}

interface SessionRow {
  tenant_id: string;
  nas_id: string;
  session_key: string;
  acct_session_id: string;
  user_name: string;
  code: string;
  nas_port: string | null;
  framed_ip: string | null;
  calling_station_id: string | null;
  started_at: string;
  last_update_at: string;
  stopped_at: string | null;
  session_time: number;
  input_octets: string;
  output_octets: string;
  terminate_cause: string | null;
  /** A Start is among the packets: the session may be new. */
  start: boolean;
}

const maxBig = (a: string, b: bigint) => (BigInt(a) >= b ? a : String(b));
const later = (a: string, b: string) => (a >= b ? a : b);

/** One row per session: several packets for one session in a batch merge like the upsert would. */
function mergeRows(records: AccountingRecord[], indexes: number[]): Map<string, SessionRow> {
  const rows = new Map<string, SessionRow>();
  for (const i of indexes) {
    const r = records[i];
    if (!r) continue;
    const key = sessionKey(r);
    const at = r.at.toISOString();
    const stop = r.status === 'stop' ? at : null;
    const prev = rows.get(`${r.nasId}|${key}`);
    rows.set(
      `${r.nasId}|${key}`,
      prev
        ? {
            ...prev,
            framed_ip: r.framedIp ?? prev.framed_ip,
            last_update_at: later(prev.last_update_at, at),
            stopped_at: prev.stopped_at ?? stop,
            session_time: Math.max(prev.session_time, r.sessionTime),
            input_octets: maxBig(prev.input_octets, r.inputOctets),
            output_octets: maxBig(prev.output_octets, r.outputOctets),
            terminate_cause: r.terminateCause ?? prev.terminate_cause,
            start: prev.start || r.status === 'start',
          }
        : {
            tenant_id: r.tenantId,
            nas_id: r.nasId,
            session_key: key,
            acct_session_id: r.acctSessionId,
            user_name: r.userName,
            code: normalizeVoucherCode(r.userName),
            nas_port: r.nasPort,
            framed_ip: r.framedIp,
            calling_station_id: r.callingStationId,
            started_at: new Date(r.at.getTime() - r.sessionTime * 1000).toISOString(),
            last_update_at: at,
            stopped_at: stop,
            session_time: r.sessionTime,
            input_octets: String(r.inputOctets),
            output_octets: String(r.outputOctets),
            terminate_cause: r.terminateCause,
            start: r.status === 'start',
          },
    );
  }
  return rows;
}

const dialect = new PgDialect();

/**
 * The batch statements are long CTEs whose text never changes — the rows travel as one jsonb
 * parameter — so outside a transaction they run as named prepared statements, parsed and
 * planned once per connection rather than once per batch. Inside one (the segments around
 * Accounting-On/Off) they run as drizzle's execute does.
 */
async function run<T extends Record<string, unknown>>(db: Executor, statement: SQL): Promise<T[]> {
  const client = '$client' in db ? (db.$client as postgres.Sql) : null;
  if (client) {
    const q = dialect.sqlToQuery(statement);
    return (await client.unsafe(q.sql, q.params as postgres.ParameterOrJSON<never>[], {
      prepare: true,
    })) as unknown as T[];
  }
  return [...(await db.execute<T>(statement))] as T[];
}

async function upsertSessions(
  db: Executor,
  records: AccountingRecord[],
  indexes: number[],
  outcomes: AccountingOutcome[],
) {
  const rows = [...mergeRows(records, indexes).values()];
  // Interim-Updates and Stops are for sessions that exist (unless their Start was lost): a
  // plain UPDATE serves them, without looking the user up or the insert's conflict check.
  // Starts, and anything the UPDATE did not find, go through the upsert.
  const exhausted = new Set<string>();
  let rest = rows.filter((r) => r.start);
  const known = rows.filter((r) => !r.start);
  if (known.length) {
    const found = new Set<string>();
    for (const w of await run<Written>(db, updateStatement(sorted(known)))) {
      found.add(`${w.nas_id}|${w.session_key}`);
      if (w.exhausted) exhausted.add(`${w.nas_id}|${w.session_key}`);
    }
    rest = rest.concat(known.filter((r) => !found.has(`${r.nas_id}|${r.session_key}`)));
  }
  if (rest.length) {
    for (const w of await run<Written>(db, upsertStatement(sorted(rest)))) {
      if (w.exhausted) exhausted.add(`${w.nas_id}|${w.session_key}`);
    }
  }
  for (const i of indexes) {
    const r = records[i];
    if (!r || r.status === 'stop') continue;
    outcomes[i] = { exhausted: exhausted.has(`${r.nasId}|${sessionKey(r)}`) };
  }
}

type Written = {
  [column: string]: unknown;
  nas_id: string;
  session_key: string;
  exhausted: boolean;
};

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Key order, so concurrent batches lock shared sessions in the same order. */
const sorted = (rows: SessionRow[]) =>
  [...rows].sort((a, b) =>
    a.nas_id === b.nas_id ? compare(a.session_key, b.session_key) : compare(a.nas_id, b.nas_id),
  );

const recordset = (rows: SessionRow[]) => sql`
  select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
    tenant_id uuid, nas_id uuid, session_key text, acct_session_id text, user_name text, code text,
    nas_port text, framed_ip text, calling_station_id text, started_at timestamptz,
    last_update_at timestamptz, stopped_at timestamptz, session_time int,
    input_octets bigint, output_octets bigint, terminate_cause text)`;

// What both statements return for each session written (CTE "up").
const upReturning = sql.raw(`returning s.id, s.nas_id, s.session_key, s.voucher_id, s.stopped_at,
  s.session_time, s.input_octets + s.output_octets as octets`);

// For each still-open voucher session written, whether the voucher is now used up. Stored
// usage counts closed sessions (a trigger adds a session when it closes, migration 0005);
// this session counts with the counters just written and, where the plan lets several
// devices share the voucher, its other open sessions as they were before this statement.
// With one device there is no other session.
const exhaustion = sql.raw(`
  select up.nas_id, up.session_key,
    coalesce(up.stopped_at is null and (
      (p.data_quota_bytes is not null
        and v.used_octets + up.octets + coalesce(o.octets, 0) >= p.data_quota_bytes)
      or (p.time_quota_seconds is not null
        and v.used_seconds + up.session_time + coalesce(o.seconds, 0) >= p.time_quota_seconds)
      or (v.expires_at is not null and v.expires_at <= now())), false) as exhausted
  from up
  left join vouchers v on v.id = up.voucher_id
  left join plans p on p.id = v.plan_id
  left join lateral (
    select sum(x.session_time) as seconds, sum(x.input_octets + x.output_octets) as octets
    from radius_sessions x
    where up.stopped_at is null and p.shared_users > 1
      and (p.data_quota_bytes is not null or p.time_quota_seconds is not null)
      and x.voucher_id = up.voucher_id and x.stopped_at is null and x.id <> up.id) o on true`);

// Counters only grow: a late, reordered packet must not roll them back; a session closes once.
const updateStatement = (rows: SessionRow[]) => sql`
  with r as (${recordset(rows)}),
  up as (
    update radius_sessions s set
      session_time = greatest(s.session_time, r.session_time),
      input_octets = greatest(s.input_octets, r.input_octets),
      output_octets = greatest(s.output_octets, r.output_octets),
      last_update_at = greatest(s.last_update_at, r.last_update_at),
      framed_ip = coalesce(r.framed_ip, s.framed_ip),
      stopped_at = coalesce(s.stopped_at, r.stopped_at),
      terminate_cause = coalesce(r.terminate_cause, s.terminate_cause)
    from r where s.nas_id = r.nas_id and s.session_key = r.session_key
    ${upReturning})
  ${exhaustion}`;

const upsertStatement = (rows: SessionRow[]) => sql`
  with r as (${recordset(rows)}),
  up as (
    insert into radius_sessions as s (tenant_id, nas_id, session_key, acct_session_id, user_name, voucher_id,
      subscriber_id, nas_port, framed_ip, calling_station_id, started_at, last_update_at, stopped_at,
      session_time, input_octets, output_octets, terminate_cause)
    select r.tenant_id, r.nas_id, r.session_key, r.acct_session_id, r.user_name, v.id, sub.id, r.nas_port,
      r.framed_ip, r.calling_station_id, r.started_at, r.last_update_at, r.stopped_at, r.session_time,
      r.input_octets, r.output_octets, r.terminate_cause
    from r
    left join vouchers v on v.tenant_id = r.tenant_id and v.code = r.code
    left join subscribers sub on v.id is null and sub.tenant_id = r.tenant_id and lower(sub.username) = lower(r.user_name)
    order by r.nas_id, r.session_key
    on conflict (nas_id, session_key) do update set
      session_time = greatest(s.session_time, excluded.session_time),
      input_octets = greatest(s.input_octets, excluded.input_octets),
      output_octets = greatest(s.output_octets, excluded.output_octets),
      last_update_at = greatest(s.last_update_at, excluded.last_update_at),
      framed_ip = coalesce(excluded.framed_ip, s.framed_ip),
      stopped_at = coalesce(s.stopped_at, excluded.stopped_at),
      terminate_cause = coalesce(excluded.terminate_cause, s.terminate_cause)
    ${upReturning})
  ${exhaustion}`;
