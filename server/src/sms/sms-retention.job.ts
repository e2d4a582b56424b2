// SMS retention (issue 14): message texts and numbers are personal data kept only as long as
// the tenant says — `smsRetentionDays` in its settings, 90 days unless set. A daily pg-boss
// schedule anonymises what is older, tenant by tenant (row-level security, ADR 0019), in
// bounded batches: the outbox row keeps its event, status, segments, cost and times (the
// outbox figures and the provider's bill still add up) but loses the text, the subscriber
// link and all but the start and last two digits of the number; a message that was never
// sent in that time is given up (skipped, with the reason). Inbound messages are treated the
// same, and so is the buyer's number a `BUY <plan>` pay link keeps (bought-code-sms.ts). The
// pattern is the accounting purge's (retention.jobs.ts).
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { untilShort } from '../retention/retention.service.ts';

export const DEFAULT_SMS_RETENTION_DAYS = 90;

/** What a message's text becomes; an empty body also marks the row as done. */
const GONE = '';
const REASON = 'Not sent within the SMS retention period';

/** `+254712345678` → `+254…78`: the country stays readable, the person does not. */
const masked = (col: string) =>
  sql.raw(`case when length(${col}) > 8 then left(${col}, 4) || '…' || right(${col}, 2) else '…' end`);

const cutoff = (now: Date) =>
  sql`${now.toISOString()}::timestamptz - make_interval(days => coalesce((t.settings->>'smsRetentionDays')::int, ${DEFAULT_SMS_RETENTION_DAYS}))`;

/**
 * Anonymises SMS (outbox, inbound, buyers' numbers on pay links) older than each tenant's
 * retention; returns how many rows it changed. A message being sent right now (`sending`) is left for tomorrow's run.
 */
export async function purgeExpiredSms(app: AppContext, now = new Date(), batch = 5_000): Promise<number> {
  const outbox = await untilShort(app, batch, () =>
    app.db.execute(sql`
      update sms_messages m
         set body = ${GONE},
             to_number = ${masked('m.to_number')},
             subscriber_id = null,
             status = case when m.status = 'queued' then 'skipped' else m.status end,
             reason = case when m.status = 'queued' then ${REASON} else m.reason end,
             updated_at = ${now.toISOString()}::timestamptz
       where m.id in (
         select s.id from sms_messages s join tenants t on t.id = s.tenant_id
          where s.body <> ${GONE}
            and s.status <> 'sending'
            and s.created_at < ${cutoff(now)}
          limit ${batch})
      returning m.id`),
  );
  const inbound = await untilShort(app, batch, () =>
    app.db.execute(sql`
      update sms_inbound i
         set body = ${GONE}, from_number = ${masked('i.from_number')}
       where i.id in (
         select s.id from sms_inbound s join tenants t on t.id = s.tenant_id
          where s.body <> ${GONE}
            and s.created_at < ${cutoff(now)}
          limit ${batch})
      returning i.id`),
  );
  // The number a "buy plan" link asked by SMS kept, to text the code once paid.
  const buyers = await untilShort(app, batch, () =>
    app.db.execute(sql`
      update pay_links p
         set buyer_phone = null
       where p.id in (
         select l.id from pay_links l join tenants t on t.id = l.tenant_id
          where l.buyer_phone is not null
            and l.created_at < ${cutoff(now)}
          limit ${batch})
      returning p.id`),
  );
  return outbox + inbound + buyers;
}

export const smsRetentionJob = defineJobKind({
  name: 'retention.sms',
  data: z.object({}),
  /** Failed: tried again tomorrow; three quick tries cover a database blip. */
  queue: (s) =>
    standardQueueRules(s, { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 }),
  schedule: { cron: '47 2 * * *', data: {} },
});

export function smsRetentionHandler(app: AppContext): JobHandler {
  const log = app.log.child({ component: 'retention' });
  return defineJobHandler({
    kind: smsRetentionJob,
    batchSize: 1,
    async run() {
      const anonymised = await purgeExpiredSms(app);
      if (anonymised) log.info({ anonymised }, 'SMS past retention anonymised');
      return { anonymised };
    },
  });
}
