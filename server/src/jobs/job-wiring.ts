// Which jobs this server process runs: the daily purges, billing's run, reminders and
// restores, payments, and SMS (receipts into the outbox, the outbox's send job). SMS runs in
// every process: whether a tenant can send is its own settings' business (or the process-wide
// KASI_TWILIO_* default); without them messages wait in the outbox, visible to the operator.
import type { AppContext } from '../app-context.ts';
import type { Config } from '../config.ts';
import { billingHandlers, scheduleAllBillingRuns } from '../billing/billing-jobs.ts';
import { retentionHandlers } from '../retention/retention.jobs.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { paymentHandlers } from '../payments/payment-jobs.ts';
import { paymentRoutes } from '../payments/payment-routes.ts';
import { saleReceiptHandler } from '../sms/sale-receipt.job.ts';
import { smsHooksHandler } from '../sms/sms-hooks.route.ts';
import { smsRetentionHandler } from '../sms/sms-retention.job.ts';
import { smsSendHandler } from '../sms/sms-send.job.ts';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from './job-kind.ts';
import { startWorkers, type JobHandler, type Workers } from './job-worker.ts';

type WiringConfig = Pick<Config, 'publicUrl' | 'jobs' | 'jobRetentionDays' | 'sms'>;

export const jobSettings = (config: Pick<Config, 'jobs' | 'jobRetentionDays'>): JobSettings => ({
  ...DEFAULT_JOB_SETTINGS,
  maxAttempts: config.jobs.maxAttempts,
  retentionDays: config.jobRetentionDays,
});

export function createJobs(app: AppContext, config: WiringConfig) {
  const log = app.log.child({ component: 'jobs' });
  const handlers: JobHandler[] = [
    ...retentionHandlers(app, { buyerPhoneDays: config.jobRetentionDays }),
    ...billingHandlers(app),
  ];
  const payments = paymentDepsOf(app);
  handlers.push(...paymentHandlers(payments));
  handlers.push(saleReceiptHandler(app), smsSendHandler(app), smsRetentionHandler(app));
  if (!config.sms.twilio) {
    log.info('No process-wide SMS account (KASI_TWILIO_*): tenants send through their own SMS settings');
  }
  return {
    handlers,
    /** SMS delivery reports and inbound messages (/hooks/sms/). */
    smsHooks: smsHooksHandler(app),
    /** Provider webhooks (/hooks/mm/, /hooks/stripe/) and the pay page (/p/). */
    payments: paymentRoutes(payments),
    /** Starts pg-boss workers for the handlers; kinds without one are named once in the log. */
    async start(): Promise<Workers> {
      // Tenants that never saved billing settings get their daily run too.
      await scheduleAllBillingRuns(app);
      return startWorkers(app.jobs, handlers, log);
    },
  };
}
