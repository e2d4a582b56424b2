// Opt-outs: a number on this list gets nothing more from the tenant — whether the subscriber
// texted a carrier keyword (STOP…), the provider refused because they opted out, or an
// operator switched it off. The outbox checks when queueing and again just before sending.
import { and, eq } from 'drizzle-orm';
import { smsOptOuts, type Executor, type SmsOptOutSource } from '@kasi/db';

/** Carrier and provider opt-out words (Twilio's defaults and the usual GSMA ones): never commands. */
export const OPT_OUT_WORDS = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
  'SIMAMISHA',
]);
export const OPT_IN_WORDS = new Set(['START', 'UNSTOP', 'YES', 'ANZA']);

export async function isOptedOut(db: Executor, tenantId: string, phone: string): Promise<boolean> {
  const [row] = await db
    .select({ id: smsOptOuts.id })
    .from(smsOptOuts)
    .where(and(eq(smsOptOuts.tenantId, tenantId), eq(smsOptOuts.phone, phone)));
  return row !== undefined;
}

/** Adds the number (once); true when it was not on the list yet. */
export async function optOut(
  db: Executor,
  o: { tenantId: string; phone: string; source: SmsOptOutSource; note: string | null },
): Promise<boolean> {
  const rows = await db.insert(smsOptOuts).values(o).onConflictDoNothing().returning({ id: smsOptOuts.id });
  return rows.length > 0;
}

/** Takes the number off the list; true when it was on it. */
export async function optIn(db: Executor, tenantId: string, phone: string): Promise<boolean> {
  const rows = await db
    .delete(smsOptOuts)
    .where(and(eq(smsOptOuts.tenantId, tenantId), eq(smsOptOuts.phone, phone)))
    .returning({ id: smsOptOuts.id });
  return rows.length > 0;
}
