// The daily purges as pg-boss schedules: one kind each, so one failing does not hold back the
// others, at quiet UTC hours, tenant-independent (accounting reads each tenant's own limit). A
// server that was down at the hour runs the purge once when it is back (`missed: 'once'`), and
// with several server processes pg-boss's cron pass creates each day's job once.
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { purgeLoginAttempts } from '../auth/login-throttle.ts';
import { defineJobKind, standardQueueRules, type JobSettings } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { forgetBuyerPhones, purgeExpiredAccounting } from './retention.service.ts';

const none = z.object({});
/** A purge that failed is simply tried again tomorrow; three quick tries cover a database blip. */
const purgeRules = (s: JobSettings) =>
  standardQueueRules(s, { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 });

export const accountingPurgeJob = defineJobKind({
  name: 'retention.accounting',
  data: none,
  queue: purgeRules,
  schedule: { cron: '17 2 * * *', data: {} },
});

export const buyerPhonePurgeJob = defineJobKind({
  name: 'retention.buyer_phones',
  data: none,
  queue: purgeRules,
  schedule: { cron: '27 2 * * *', data: {} },
});

export const loginAttemptPurgeJob = defineJobKind({
  name: 'retention.login_attempts',
  data: none,
  queue: purgeRules,
  schedule: { cron: '37 2 * * *', data: {} },
});

export const retentionJobs = [accountingPurgeJob, buyerPhonePurgeJob, loginAttemptPurgeJob];

export function retentionHandlers(app: AppContext, opts: { buyerPhoneDays: number }): JobHandler[] {
  const log = app.log.child({ component: 'retention' });
  return [
    defineJobHandler({
      kind: accountingPurgeJob,
      batchSize: 1,
      async run() {
        const deleted = await purgeExpiredAccounting(app);
        if (deleted) log.info({ deleted }, 'accounting past retention deleted');
        return { deleted };
      },
    }),
    defineJobHandler({
      kind: buyerPhonePurgeJob,
      batchSize: 1,
      async run() {
        const cleared = await forgetBuyerPhones(app, { days: opts.buyerPhoneDays });
        if (cleared) log.info({ cleared }, 'buyer phone numbers past retention cleared');
        return { cleared };
      },
    }),
    defineJobHandler({
      kind: loginAttemptPurgeJob,
      batchSize: 1,
      async run() {
        return { deleted: await purgeLoginAttempts(app.db) };
      },
    }),
  ];
}
