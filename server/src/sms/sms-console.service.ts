// What the console's SMS page reads and does: the outbox (every message and its fate), a
// retry for a failed message, the opt-out list with the operator's toggle, and bulk sends to
// a filtered set of subscribers — above the tenant's threshold they wait for a second person
// (the two-person rule of change plans and credit notes, second-person.ts).
import { and, desc, eq, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  radiusSessions,
  routers,
  smsBulks,
  smsMessages,
  smsOptOuts,
  subscribers,
  writeAudit,
  type Executor,
} from '@kasi/db';
import { conflict, notFound, smsBulkFilter, smsBulkInput, type SmsBulkFilter } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { requireSecondPerson } from '../billing/second-person.ts';
import { smsSetup } from './sms-config.ts';
import { queueSms } from './sms-outbox.ts';
import { optIn, optOut } from './sms-opt-out.ts';
import { smsSendJob } from './sms-send.job.ts';
import { fieldError } from './sms-settings.service.ts';
import { toE164 } from './phone-number.ts';

/** Events whose text carries a credential (a voucher code, a sign-in code): never shown back. */
const SECRET_BODIES = new Set(['sale_receipt', 'otp']);

export const outboxInput = z.object({
  status: z.enum(['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped']).optional(),
  event: z.string().max(40).optional(),
  /** Messages created before this one (keyset paging, newest first). */
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function listOutbox(app: AppContext, actor: Actor, input: z.input<typeof outboxInput>) {
  requirePermission(actor, 'subscriber.read');
  const v = outboxInput.parse(input);
  const where: SQL[] = [eq(smsMessages.tenantId, actor.tenantId)];
  if (v.status) where.push(eq(smsMessages.status, v.status));
  if (v.event) where.push(eq(smsMessages.event, v.event));
  if (v.before) where.push(lt(smsMessages.createdAt, new Date(v.before)));
  const rows = await app.db
    .select({
      m: smsMessages,
      optedOut: sql<boolean>`exists (select 1 from ${smsOptOuts} o where o.tenant_id = ${smsMessages.tenantId} and o.phone = ${smsMessages.toNumber})`,
    })
    .from(smsMessages)
    .where(and(...where))
    .orderBy(desc(smsMessages.createdAt))
    .limit(v.limit);
  return rows.map(({ m, optedOut }) => ({
    id: m.id,
    createdAt: m.createdAt,
    event: m.event,
    language: m.language,
    to: m.toNumber,
    subscriberId: m.subscriberId,
    body: SECRET_BODIES.has(m.event) ? null : m.body,
    status: m.status,
    reason: m.reason,
    attempts: m.attempts,
    provider: m.provider,
    deliveryStatus: m.deliveryStatus,
    segments: m.segments,
    encoding: m.encoding,
    costMicros: m.costMicros,
    costCurrency: m.costCurrency,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    optedOut,
  }));
}

export const messageRefInput = z.object({ id: z.uuid() });

/** Sends a failed message again (a new attempt on the same row). */
export async function retryMessage(app: AppContext, actor: Actor, input: { id: string }) {
  requirePermission(actor, 'subscriber.write');
  const v = messageRefInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [row] = await tx
      .update(smsMessages)
      .set({
        status: 'queued',
        reason: null,
        providerMessageId: null,
        deliveryStatus: null,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(smsMessages.tenantId, actor.tenantId),
          eq(smsMessages.id, v.id),
          eq(smsMessages.status, 'failed'),
        ),
      )
      .returning({ id: smsMessages.id });
    if (!row) throw notFound('SMS.NOT_RETRYABLE', 'No failed message with that id');
    await app.jobs.enqueue(tx, { kind: smsSendJob, data: { tenantId: actor.tenantId, messageId: row.id } });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'sms.retry',
      entityType: 'sms_message',
      entityId: row.id,
    });
    return { id: row.id, status: 'queued' as const };
  });
}

export async function listOptOuts(app: AppContext, actor: Actor) {
  requirePermission(actor, 'subscriber.read');
  return app.db
    .select({
      phone: smsOptOuts.phone,
      source: smsOptOuts.source,
      note: smsOptOuts.note,
      createdAt: smsOptOuts.createdAt,
    })
    .from(smsOptOuts)
    .where(eq(smsOptOuts.tenantId, actor.tenantId))
    .orderBy(desc(smsOptOuts.createdAt))
    .limit(500);
}

export const optOutInput = z.object({
  phone: z.string().trim().min(1, 'Enter a phone number'),
  optedOut: z.boolean(),
});

/** The operator's toggle: stop (or allow again) messages to one number. */
export async function setOptOut(app: AppContext, actor: Actor, input: z.input<typeof optOutInput>) {
  requirePermission(actor, 'subscriber.write');
  const v = optOutInput.parse(input);
  const setup = await smsSetup(app, app.db, actor.tenantId);
  const phone = toE164(v.phone, setup.countryCode);
  if (!phone)
    throw fieldError('phone', 'Not a phone number Kasi can normalise: use +country code and number');
  return app.db.transaction(async (tx) => {
    const changed = v.optedOut
      ? await optOut(tx, { tenantId: actor.tenantId, phone, source: 'operator', note: actor.label })
      : await optIn(tx, actor.tenantId, phone);
    if (changed) {
      await writeAudit(tx, {
        ...auditActor(actor),
        action: v.optedOut ? 'sms.opt_out' : 'sms.opt_in',
        entityType: 'sms_opt_out',
        entityId: phone,
      });
    }
    return { phone, optedOut: v.optedOut, changed };
  });
}

/** Subscribers a bulk send reaches: all criteria hold and they have a number. */
async function recipients(db: Executor, tenantId: string, f: SmsBulkFilter) {
  const where: SQL[] = [eq(subscribers.tenantId, tenantId), isNotNull(subscribers.phone)];
  if (f.planId) where.push(eq(subscribers.planId, f.planId));
  if (f.status) where.push(eq(subscribers.status, f.status));
  if (f.tag) where.push(sql`${f.tag} = any(${subscribers.tags})`);
  if (f.routerId) {
    // On that router: a session through its NAS in the last 30 days.
    where.push(sql`exists (
      select 1 from ${radiusSessions} s join ${routers} r on r.nas_id = s.nas_id
      where s.tenant_id = ${tenantId} and r.tenant_id = ${tenantId} and r.id = ${f.routerId}
        and s.subscriber_id = ${subscribers.id} and s.last_update_at > now() - interval '30 days')`);
  }
  return db
    .select({
      id: subscribers.id,
      phone: subscribers.phone,
      name: subscribers.fullName,
      username: subscribers.username,
    })
    .from(subscribers)
    .where(and(...where))
    .orderBy(subscribers.username);
}

export const bulkPreviewInput = z.object({ filter: smsBulkFilter });

export async function previewBulk(app: AppContext, actor: Actor, input: z.input<typeof bulkPreviewInput>) {
  requirePermission(actor, 'subscriber.read');
  const v = bulkPreviewInput.parse(input);
  const list = await recipients(app.db, actor.tenantId, v.filter);
  const setup = await smsSetup(app, app.db, actor.tenantId);
  return {
    recipients: list.length,
    threshold: setup.row?.bulkApprovalThreshold ?? null,
    needsApproval: setup.row?.bulkApprovalThreshold != null && list.length > setup.row.bulkApprovalThreshold,
  };
}

async function queueBulk(
  app: AppContext,
  tx: Executor,
  tenantId: string,
  bulkId: string,
  filter: SmsBulkFilter,
  message: string,
) {
  const list = await recipients(tx, tenantId, filter);
  let queued = 0;
  for (const s of list) {
    const r = await queueSms(app, tx, {
      tenantId,
      to: s.phone ?? '',
      event: 'bulk',
      vars: { name: s.name ?? s.username, message },
      subscriberId: s.id,
      dedupeKey: `bulk:${bulkId}:${s.id}`,
      bulkId,
    });
    if (r.status === 'queued') queued += 1;
  }
  return { recipients: list.length, queued };
}

export async function createBulk(app: AppContext, actor: Actor, input: z.input<typeof smsBulkInput>) {
  requirePermission(actor, 'subscriber.write');
  const v = smsBulkInput.parse(input);
  return app.db.transaction(async (tx) => {
    const count = (await recipients(tx, actor.tenantId, v.filter)).length;
    if (count === 0) throw fieldError('filter', 'No subscriber with a phone number matches');
    const setup = await smsSetup(app, tx, actor.tenantId);
    const threshold = setup.row?.bulkApprovalThreshold ?? null;
    const pending = threshold !== null && count > threshold;
    const [bulk] = await tx
      .insert(smsBulks)
      .values({
        tenantId: actor.tenantId,
        filter: v.filter,
        body: v.message,
        recipientCount: count,
        status: pending ? 'pending' : 'sent',
        requestedBy: actor.userId,
        ...(!pending && { decidedAt: new Date() }),
      })
      .returning({ id: smsBulks.id });
    const id = bulk?.id ?? '';
    const sent = pending ? null : await queueBulk(app, tx, actor.tenantId, id, v.filter, v.message);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: pending ? 'sms.bulk.request' : 'sms.bulk.send',
      entityType: 'sms_bulk',
      entityId: id,
      after: { filter: v.filter, recipients: count },
    });
    return {
      id,
      status: pending ? ('pending' as const) : ('sent' as const),
      recipients: count,
      queued: sent?.queued ?? 0,
    };
  });
}

export const bulkDecisionInput = z.object({ id: z.uuid(), decision: z.enum(['approve', 'reject']) });

/** The second person's decision on a bulk send that waits. */
export async function decideBulk(app: AppContext, actor: Actor, input: z.input<typeof bulkDecisionInput>) {
  const v = bulkDecisionInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [bulk] = await tx
      .select()
      .from(smsBulks)
      .where(and(eq(smsBulks.tenantId, actor.tenantId), eq(smsBulks.id, v.id)))
      .for('update');
    if (!bulk) throw notFound('SMS.BULK_NOT_FOUND', 'No such bulk message');
    requireSecondPerson(actor, bulk.requestedBy);
    if (bulk.status !== 'pending')
      throw conflict('SMS.BULK_DECIDED', `This bulk message was already ${bulk.status}`);
    const status = v.decision === 'approve' ? ('sent' as const) : ('rejected' as const);
    await tx
      .update(smsBulks)
      .set({ status, decidedBy: actor.userId, decidedAt: new Date() })
      .where(eq(smsBulks.id, bulk.id));
    const sent =
      status === 'sent'
        ? await queueBulk(app, tx, actor.tenantId, bulk.id, smsBulkFilter.parse(bulk.filter), bulk.body)
        : null;
    await writeAudit(tx, {
      ...auditActor(actor),
      action: status === 'sent' ? 'sms.bulk.approve' : 'sms.bulk.reject',
      entityType: 'sms_bulk',
      entityId: bulk.id,
    });
    return { id: bulk.id, status, queued: sent?.queued ?? 0 };
  });
}

export async function listBulks(app: AppContext, actor: Actor) {
  requirePermission(actor, 'subscriber.read');
  const rows = await app.db
    .select()
    .from(smsBulks)
    .where(eq(smsBulks.tenantId, actor.tenantId))
    .orderBy(desc(smsBulks.createdAt))
    .limit(50);
  const ids = rows.map((r) => r.id);
  const counts = ids.length
    ? await app.db
        .select({ bulkId: smsMessages.bulkId, status: smsMessages.status, n: sql<number>`count(*)::int` })
        .from(smsMessages)
        .where(and(eq(smsMessages.tenantId, actor.tenantId), inArray(smsMessages.bulkId, ids)))
        .groupBy(smsMessages.bulkId, smsMessages.status)
    : [];
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    body: r.body,
    filter: r.filter,
    recipientCount: r.recipientCount,
    status: r.status,
    requestedBy: r.requestedBy,
    mine: r.requestedBy === actor.userId,
    byStatus: Object.fromEntries(counts.filter((c) => c.bulkId === r.id).map((c) => [c.status, c.n])),
  }));
}

/** The dashboard's banner: SMS not configured (or off) while messages wait. */
export async function smsStatus(app: AppContext, actor: Actor) {
  requirePermission(actor, 'dashboard.read');
  const setup = await smsSetup(app, app.db, actor.tenantId);
  const [row] = await app.db
    .select({ n: sql<number>`count(*)::int` })
    .from(smsMessages)
    .where(and(eq(smsMessages.tenantId, actor.tenantId), eq(smsMessages.status, 'queued')));
  return { configured: setup.provider !== null, waitReason: setup.waitReason, waiting: row?.n ?? 0 };
}
