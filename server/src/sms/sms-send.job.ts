// Job `sms.send` {tenantId, messageId}: sends one outbox message through the tenant's
// provider. The job's data names the message and nothing else, so pg-boss's tables never
// hold a number or a text. A message is sent once however many jobs run for it, in however
// many processes: each run first claims the row (queued → sending, with a lease a crashed
// sender's claim outlives by two minutes at most); a run that finds it claimed or finished
// does nothing. The one window left is a crash between the provider's answer and our update
// (then the lease lapses and a retry sends again): providers offer no idempotency key.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { smsMessages } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { JobFailure, describeFailure } from '../jobs/job-failure.ts';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { openProvider } from './sms-config.ts';
import { smsEnvOf } from './sms-env.ts';
import { isOptedOut, optOut } from './sms-opt-out.ts';
import { OptedOutFailure } from './sms-provider.ts';
import { maskPhone } from './phone-number.ts';

export const smsSendJob = defineJobKind({
  name: 'sms.send',
  data: z.object({ tenantId: z.uuid(), messageId: z.uuid() }),
  queue: (s) => standardQueueRules(s),
});

/** How long a sender holds a message: more than any provider call may take (15 s timeout). */
const CLAIM_SECONDS = 120;

/** Names tenant and message; Twilio signs the whole URL, so neither can be forged. */
export const twilioStatusCallbackUrl = (publicUrl: string, tenantId: string, messageId: string) =>
  `${publicUrl.replace(/\/+$/, '')}/hooks/sms/twilio/status?t=${tenantId}&m=${messageId}`;

export type DeliverOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped' | 'failed' | 'waiting' | 'not_mine'; reason: string };

const OPTED_OUT = 'opted out';

/**
 * Sends the message if it is still to be sent. `finalAttempt`: a transient refusal marks it
 * failed instead of leaving it queued for the next try. Throws the transient JobFailure otherwise.
 */
export async function deliverMessage(
  app: AppContext,
  tenantId: string,
  messageId: string,
  opts: { finalAttempt: boolean },
): Promise<DeliverOutcome> {
  const [msg] = await app.db
    .update(smsMessages)
    .set({
      status: 'sending',
      attempts: sql`${smsMessages.attempts} + 1`,
      claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(smsMessages.tenantId, tenantId),
        eq(smsMessages.id, messageId),
        sql`(${smsMessages.status} = 'queued' or (${smsMessages.status} = 'sending' and ${smsMessages.claimedUntil} < now()))`,
      ),
    )
    .returning();
  if (!msg) return { outcome: 'not_mine', reason: 'already sent, being sent or finished' };

  const finish = async (set: Partial<typeof smsMessages.$inferInsert>) => {
    await app.db
      .update(smsMessages)
      .set({ ...set, claimedUntil: null, updatedAt: new Date() })
      .where(and(eq(smsMessages.tenantId, tenantId), eq(smsMessages.id, messageId)));
  };

  if (msg.expiresAt && msg.expiresAt.getTime() < Date.now()) {
    const reason = 'expired before it could be sent';
    await finish({ status: 'skipped', reason });
    return { outcome: 'skipped', reason };
  }
  if (await isOptedOut(app.db, tenantId, msg.toNumber)) {
    await finish({ status: 'skipped', reason: OPTED_OUT });
    return { outcome: 'skipped', reason: OPTED_OUT };
  }
  const opened = await openProvider(app, app.db, tenantId);
  if (!opened) {
    // Waits for the settings: saving them releases every waiting message.
    const reason = 'SMS not configured';
    await finish({ status: 'queued', reason });
    return { outcome: 'waiting', reason };
  }
  const env = smsEnvOf(app);
  try {
    const r = await opened.provider.send({
      to: msg.toNumber,
      body: msg.body,
      statusCallback:
        opened.provider.kind === 'twilio' ? twilioStatusCallbackUrl(env.publicUrl, tenantId, msg.id) : null,
    });
    await finish({
      status: 'sent',
      reason: null,
      provider: opened.kind,
      providerMessageId: r.providerMessageId,
      deliveryStatus: r.status,
      costMicros: r.costMicros,
      costCurrency: r.currency,
      sentAt: new Date(),
    });
    app.log.info(
      { sms: msg.id, event: msg.event, to: maskPhone(msg.toNumber), provider: opened.kind },
      'SMS sent',
    );
    return { outcome: 'sent', providerMessageId: r.providerMessageId };
  } catch (err) {
    if (err instanceof OptedOutFailure) {
      await app.db.transaction(async (tx) => {
        await optOut(tx, { tenantId, phone: msg.toNumber, source: 'provider', note: err.reason });
      });
      await finish({ status: 'failed', reason: `${err.reason}: number opted out`, provider: opened.kind });
      return { outcome: 'failed', reason: err.reason };
    }
    const f = describeFailure(err);
    if (f.permanent || opts.finalAttempt) {
      const reason = f.permanent ? f.message : `gave up after ${msg.attempts} attempts: ${f.message}`;
      await finish({ status: 'failed', reason, provider: opened.kind });
      return { outcome: 'failed', reason };
    }
    await finish({ status: 'queued', reason: `will retry: ${f.message}`, provider: opened.kind });
    throw err instanceof JobFailure ? err : new JobFailure(f.message, { permanent: false });
  }
}

export function smsSendHandler(app: AppContext): JobHandler {
  return defineJobHandler({
    kind: smsSendJob,
    async run(job) {
      const finalAttempt = job.attempt >= app.jobs.settings.maxAttempts;
      const r = await deliverMessage(app, job.data.tenantId, job.data.messageId, { finalAttempt });
      return r.outcome === 'sent' ? { outcome: 'sent' } : { outcome: r.outcome, reason: r.reason };
    },
  });
}
