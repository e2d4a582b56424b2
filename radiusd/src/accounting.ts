// Accounting: upsert one row per session on (NAS, session key), so retransmissions and
// replays never double-count; usage on the voucher is recomputed from its sessions.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { plans, radiusSessions, subscribers, vouchers, type Database } from '@kasi/db';
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
  if (r.status === 'on' || r.status === 'off') {
    // The NAS rebooted or is going down: none of its sessions survive.
    await db
      .update(radiusSessions)
      .set({ stoppedAt: r.at, terminateCause: r.status === 'on' ? 'NAS-Reboot' : 'NAS-Request' })
      .where(and(eq(radiusSessions.nasId, r.nasId), isNull(radiusSessions.stoppedAt)));
    return { exhausted: false };
  }
  return db.transaction(async (tx) => {
    const [voucher] = await tx
      .select({ id: vouchers.id })
      .from(vouchers)
      .where(and(eq(vouchers.tenantId, r.tenantId), eq(vouchers.code, normalizeVoucherCode(r.userName))));
    const [subscriber] = voucher
      ? []
      : await tx
          .select({ id: subscribers.id })
          .from(subscribers)
          .where(
            and(
              eq(subscribers.tenantId, r.tenantId),
              sql`lower(${subscribers.username}) = lower(${r.userName})`,
            ),
          );
    const stop = r.status === 'stop';
    await tx
      .insert(radiusSessions)
      .values({
        tenantId: r.tenantId,
        nasId: r.nasId,
        sessionKey: sessionKey(r),
        acctSessionId: r.acctSessionId,
        userName: r.userName,
        voucherId: voucher?.id ?? null,
        subscriberId: subscriber?.id ?? null,
        nasPort: r.nasPort,
        framedIp: r.framedIp,
        callingStationId: r.callingStationId,
        startedAt: new Date(r.at.getTime() - r.sessionTime * 1000),
        lastUpdateAt: r.at,
        stoppedAt: stop ? r.at : null,
        sessionTime: r.sessionTime,
        inputOctets: r.inputOctets,
        outputOctets: r.outputOctets,
        terminateCause: r.terminateCause,
      })
      .onConflictDoUpdate({
        target: [radiusSessions.nasId, radiusSessions.sessionKey],
        set: {
          // Counters only grow: a late, reordered interim must not roll them back.
          sessionTime: sql`greatest(${radiusSessions.sessionTime}, excluded.session_time)`,
          inputOctets: sql`greatest(${radiusSessions.inputOctets}, excluded.input_octets)`,
          outputOctets: sql`greatest(${radiusSessions.outputOctets}, excluded.output_octets)`,
          lastUpdateAt: sql`greatest(${radiusSessions.lastUpdateAt}, excluded.last_update_at)`,
          framedIp: sql`coalesce(excluded.framed_ip, ${radiusSessions.framedIp})`,
          ...(stop && {
            stoppedAt: sql`coalesce(${radiusSessions.stoppedAt}, excluded.stopped_at)`,
            terminateCause: sql`excluded.terminate_cause`,
          }),
        },
      });
    if (!voucher) return { exhausted: false };
    const [usage] = await tx.execute<{ exhausted: boolean }>(sql`
      update ${vouchers} v set
        used_seconds = s.seconds, used_octets = s.octets
      from (select coalesce(sum(session_time), 0)::int as seconds,
                   coalesce(sum(input_octets + output_octets), 0)::bigint as octets
            from ${radiusSessions} where voucher_id = ${voucher.id}) s,
           ${plans} p
      where v.id = ${voucher.id} and p.id = v.plan_id
      returning (p.data_quota_bytes is not null and v.used_octets >= p.data_quota_bytes)
             or (p.time_quota_seconds is not null and v.used_seconds >= p.time_quota_seconds)
             or (v.expires_at is not null and v.expires_at <= ${r.at.toISOString()}::timestamptz) as exhausted`);
    return { exhausted: !stop && Boolean(usage?.exhausted) };
  });
}
