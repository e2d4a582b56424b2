// The SMS outbox (ADR 0022): the one way Kasi sends a text. `queueSms(app, tx, msg)` writes an
// `sms_messages` row in the caller's transaction and, when the tenant can send, enqueues the
// send job in the same transaction (ADR 0009): the message exists once the cause commits, or
// not at all. A message that cannot go out says why on its row (skipped: number cannot be
// normalised, opted out; queued while SMS is not configured — released when it is).
import { and, eq, sql } from 'drizzle-orm';
import { smsMessages, smsTemplates, tenants, type Executor } from '@kasi/db';
import {
  BUILTIN_SMS_TEMPLATES,
  renderTemplate,
  smsLanguageSchema,
  smsTextInfo,
  type SmsEvent,
  type SmsLanguage,
} from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { smsSendJob } from './sms-send.job.ts';
import { smsSetup } from './sms-config.ts';
import { maskPhone, toE164 } from './phone-number.ts';
import { isOptedOut } from './sms-opt-out.ts';

export type { SmsEvent } from '@kasi/domain';

export interface QueueSmsInput {
  tenantId: string;
  to: string;
  event: SmsEvent;
  /** The template's variables; `tenant` defaults to the tenant's name. */
  vars: Record<string, string>;
  subscriberId?: string | null;
  /** en, sw…; default: the tenant's SMS language. */
  language?: string;
  /** Same key, same message: queueing again returns the first one. */
  dedupeKey?: string;
  /** Not sent after this moment (an OTP). */
  expiresAt?: Date;
  /** Text to send as is instead of the event's template (bulk already rendered). */
  body?: string;
  bulkId?: string;
}

export interface QueuedSms {
  id: string;
  status: 'queued' | 'skipped';
  reason?: string;
}

export const OPTED_OUT = 'opted out';
export const BAD_NUMBER = 'number cannot be normalised';

/** The tenant's wording for the event and language, else Kasi's (falling back to English). */
export async function templateFor(
  db: Executor,
  tenantId: string,
  event: SmsEvent,
  language: SmsLanguage,
): Promise<string> {
  const [own] = await db
    .select({ body: smsTemplates.body })
    .from(smsTemplates)
    .where(
      and(
        eq(smsTemplates.tenantId, tenantId),
        eq(smsTemplates.event, event),
        eq(smsTemplates.language, language),
      ),
    );
  return own?.body ?? BUILTIN_SMS_TEMPLATES[language][event];
}

export async function queueSms(app: AppContext, tx: Executor, msg: QueueSmsInput): Promise<QueuedSms> {
  if (msg.dedupeKey) {
    const [prior] = await tx
      .select({ id: smsMessages.id, status: smsMessages.status, reason: smsMessages.reason })
      .from(smsMessages)
      .where(and(eq(smsMessages.tenantId, msg.tenantId), eq(smsMessages.dedupeKey, msg.dedupeKey)));
    if (prior) return asQueued(prior);
  }
  const setup = await smsSetup(app, tx, msg.tenantId);
  const language = smsLanguageSchema
    .catch(setup.defaultLanguage)
    .parse(msg.language ?? setup.defaultLanguage);
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, msg.tenantId));
  const vars = { tenant: tenant?.name ?? '', ...msg.vars };
  const template = msg.body ?? (await templateFor(tx, msg.tenantId, msg.event, language));
  const { text, missing } = renderTemplate(template, vars);
  if (missing.length > 0)
    app.log.warn({ event: msg.event, missing }, 'SMS template variables without a value were left empty');
  const info = smsTextInfo(text);

  const to = toE164(msg.to, setup.countryCode);
  let status: 'queued' | 'skipped' = 'queued';
  let reason: string | null = setup.waitReason;
  if (!to) {
    status = 'skipped';
    reason = setup.countryCode
      ? BAD_NUMBER
      : `${BAD_NUMBER} (not international, and no SMS country code is set)`;
  } else if (await isOptedOut(tx, msg.tenantId, to)) {
    status = 'skipped';
    reason = OPTED_OUT;
  } else if (setup.waitReason && setup.row && !setup.row.enabled) {
    status = 'skipped';
  }
  const inserted = await tx
    .insert(smsMessages)
    .values({
      tenantId: msg.tenantId,
      subscriberId: msg.subscriberId ?? null,
      event: msg.event,
      language,
      // A number that cannot be normalised is kept masked: it is shown, never texted.
      toNumber: to ?? maskPhone(msg.to.replace(/[\s().-]/g, '')),
      body: text,
      status,
      reason,
      segments: info.segments,
      encoding: info.encoding,
      dedupeKey: msg.dedupeKey ?? null,
      bulkId: msg.bulkId ?? null,
      expiresAt: msg.expiresAt ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: smsMessages.id, status: smsMessages.status, reason: smsMessages.reason });
  const row = inserted[0];
  if (!row) {
    // Another transaction queued the same key in between: theirs is the message.
    const [prior] = await tx
      .select({ id: smsMessages.id, status: smsMessages.status, reason: smsMessages.reason })
      .from(smsMessages)
      .where(and(eq(smsMessages.tenantId, msg.tenantId), eq(smsMessages.dedupeKey, msg.dedupeKey ?? '')));
    if (!prior) throw new Error('SMS dedupe conflict without a row');
    return asQueued(prior);
  }
  if (status === 'queued' && !setup.waitReason) {
    await app.jobs.enqueue(tx, {
      kind: smsSendJob,
      data: { tenantId: msg.tenantId, messageId: row.id },
      dedupeKey: row.id,
    });
  }
  return asQueued(row);
}

function asQueued(r: { id: string; status: string; reason: string | null }): QueuedSms {
  return {
    id: r.id,
    status: r.status === 'skipped' ? 'skipped' : 'queued',
    ...(r.reason !== null && { reason: r.reason }),
  };
}

/**
 * Once the tenant can send again (settings saved, SMS turned back on): a send job for every
 * message waiting. The send job claims each message, so a message is sent once whatever
 * jobs exist for it. Resolves to the number of messages released.
 */
export async function releaseWaiting(app: AppContext, tx: Executor, tenantId: string): Promise<number> {
  const setup = await smsSetup(app, tx, tenantId);
  if (setup.waitReason) return 0;
  const rows = await tx
    .update(smsMessages)
    .set({ reason: null, updatedAt: new Date() })
    .where(
      and(
        eq(smsMessages.tenantId, tenantId),
        eq(smsMessages.status, 'queued'),
        sql`${smsMessages.providerMessageId} is null`,
      ),
    )
    .returning({ id: smsMessages.id });
  await app.jobs.enqueueMany(
    tx,
    smsSendJob,
    rows.map((r) => ({ data: { tenantId, messageId: r.id } })),
  );
  return rows.length;
}

/** Messages waiting because SMS is not configured (the dashboard's banner). */
export async function waitingCount(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(smsMessages)
    .where(and(eq(smsMessages.tenantId, tenantId), eq(smsMessages.status, 'queued')));
  return row?.n ?? 0;
}

/** The dashboard's banner: is SMS set up, and how many messages wait (no permission check: the caller's). */
export async function smsBanner(app: AppContext, db: Executor, tenantId: string) {
  const [setup, waiting] = await Promise.all([smsSetup(app, db, tenantId), waitingCount(db, tenantId)]);
  return { configured: setup.provider !== null, waitReason: setup.waitReason, waiting };
}
