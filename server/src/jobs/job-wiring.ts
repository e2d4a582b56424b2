// Which jobs this server process runs, from configuration: the daily purges and billing's
// run, reminders and restores always; the SMS
// receipt job and its delivery-report route when Twilio is configured (otherwise receipts stay
// queued until a process that has Twilio takes them, or their retention runs out).
import type { AppContext } from '../app-context.ts';
import type { Config } from '../config.ts';
import { billingHandlers, scheduleAllBillingRuns } from '../billing/billing-jobs.ts';
import { retentionHandlers } from '../retention/retention.jobs.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { paymentHandlers } from '../payments/payment-jobs.ts';
import { paymentRoutes } from '../payments/payment-routes.ts';
import { saleReceiptHandler, SALE_RECEIPT_JOB } from '../sms/sale-receipt.job.ts';
import { twilioSender } from '../sms/sms-sender.ts';
import { twilioStatusHandler, twilioStatusUrl } from '../sms/twilio-status.route.ts';
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
  const twilio = config.sms.twilio;
  const handlers: JobHandler[] = [
    ...retentionHandlers(app, { buyerPhoneDays: config.jobRetentionDays }),
    ...billingHandlers(app),
  ];
  const payments = paymentDepsOf(app);
  handlers.push(...paymentHandlers(payments));
  const dormant: Record<string, string> = {};
  if (twilio) {
    handlers.push(
      saleReceiptHandler({
        db: app.db,
        log,
        sender: twilioSender(twilio),
        countryCode: config.sms.countryCode,
        hotspotUrl: config.sms.hotspotUrl,
        statusCallbackUrl: (jobId) => twilioStatusUrl(config.publicUrl, jobId),
      }),
    );
  } else {
    dormant[SALE_RECEIPT_JOB] =
      'SMS is not configured (set KASI_TWILIO_ACCOUNT_SID, KASI_TWILIO_AUTH_TOKEN and KASI_TWILIO_FROM)';
  }
  const twilioStatus = twilio
    ? twilioStatusHandler(app, { authToken: twilio.authToken, publicUrl: config.publicUrl })
    : null;
  return {
    handlers,
    twilioStatus,
    /** Provider webhooks (/hooks/mm/, /hooks/stripe/) and the pay page (/p/). */
    payments: paymentRoutes(payments),
    /** Starts pg-boss workers for the handlers; kinds without one are named once in the log. */
    async start(): Promise<Workers> {
      for (const [kind, reason] of Object.entries(dormant)) {
        log.warn({ kind }, `${reason}; these jobs stay queued`);
      }
      // Tenants that never saved billing settings get their daily run too.
      await scheduleAllBillingRuns(app);
      return startWorkers(app.jobs, handlers, log);
    },
  };
}
