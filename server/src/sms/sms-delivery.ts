// Delivery reports for outbox messages (Twilio status callbacks, Africa's Talking delivery
// reports) onto the message's row: delivered, or failed with the provider's reason. Reports
// arrive out of order: a status only replaces one that comes earlier in a message's life, so
// a late "sent" never undoes "delivered".
import { and, eq, inArray, sql } from 'drizzle-orm';
import { smsMessages, type Executor, type SmsProviderKind } from '@kasi/db';
import { optOut } from './sms-opt-out.ts';

const TWILIO_RANK: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};
const AT_RANK: Readonly<Record<string, number>> = {
  Sent: 1,
  Submitted: 2,
  Buffered: 2,
  Success: 4,
  Failed: 4,
  Rejected: 4,
  Expired: 4,
  AbsentSubscriber: 4,
};
const RANKS = { ...TWILIO_RANK, ...AT_RANK };

/** Twilio error codes and Africa's Talking failure reasons that mean "stop texting this number". */
const OPT_OUT_SIGNALS = new Set(['21610', 'UserInBlackList', 'UserInBlacklist', 'DNDReject']);

export interface DeliveryReport {
  tenantId: string;
  providers: SmsProviderKind[];
  /** The outbox id (Twilio's callback URL carries it) and/or the provider's message id. */
  messageId?: string;
  providerMessageId: string;
  status: string;
  /** Twilio's ErrorCode, Africa's Talking's failureReason. */
  errorCode: string | null;
}

function outcome(r: DeliveryReport): { status: 'delivered' | 'failed' | null; reason: string | null } {
  const at = r.providers.includes('africastalking');
  const name = at ? "Africa's Talking" : 'Twilio';
  if (['delivered', 'read', 'Success'].includes(r.status)) return { status: 'delivered', reason: null };
  if (
    ['undelivered', 'failed', 'canceled', 'Failed', 'Rejected', 'Expired', 'AbsentSubscriber'].includes(
      r.status,
    )
  ) {
    const detail = r.errorCode ? (at ? `: ${r.errorCode}` : ` (error ${r.errorCode})`) : '';
    return { status: 'failed', reason: `${name} delivery ${r.status}${detail}`.slice(0, 200) };
  }
  return { status: null, reason: null };
}

const rankOf = (column: ReturnType<typeof sql>) =>
  sql`case ${column} ${sql.join(
    Object.entries(RANKS).map(([s, r]) => sql`when ${s} then ${r}`),
    sql` `,
  )} else 0 end`;

/** Records the report if it is news for that message; true when something changed. */
export async function recordSmsDelivery(db: Executor, r: DeliveryReport): Promise<boolean> {
  const rank = RANKS[r.status] ?? 0;
  const o = outcome(r);
  const rows = await db
    .update(smsMessages)
    .set({
      deliveryStatus: r.status,
      updatedAt: new Date(),
      ...(o.status === 'delivered' && { status: 'delivered', deliveredAt: new Date(), reason: null }),
      ...(o.status === 'failed' && { status: 'failed', reason: o.reason }),
    })
    .where(
      and(
        eq(smsMessages.tenantId, r.tenantId),
        inArray(smsMessages.provider, r.providers),
        eq(smsMessages.providerMessageId, r.providerMessageId),
        r.messageId ? eq(smsMessages.id, r.messageId) : sql`true`,
        inArray(smsMessages.status, ['sent', 'delivered', 'failed']),
        sql`${rankOf(sql`${smsMessages.deliveryStatus}`)} < ${rank}`,
      ),
    )
    .returning({ toNumber: smsMessages.toNumber });
  const row = rows[0];
  if (row && r.errorCode && OPT_OUT_SIGNALS.has(r.errorCode)) {
    await optOut(db, { tenantId: r.tenantId, phone: row.toNumber, source: 'provider', note: r.errorCode });
  }
  return rows.length > 0;
}
