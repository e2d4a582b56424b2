// Which jobs this server process runs, from configuration: the SMS receipt job and its
// delivery-report route when Twilio is configured; otherwise those jobs stay queued.
import type { AppContext } from '../app-context.ts';
import type { Config } from '../config.ts';
import { SALE_RECEIPT_JOB, saleReceiptHandler } from '../sms/sale-receipt.job.ts';
import { twilioSender } from '../sms/sms-sender.ts';
import { twilioStatusHandler, twilioStatusUrl } from '../sms/twilio-status.route.ts';
import { JobRunner, type JobHandler } from './job-runner.ts';

type WiringConfig = Pick<Config, 'publicUrl' | 'jobs' | 'sms'>;

export function createJobs(app: AppContext, config: WiringConfig) {
  const log = app.log.child({ component: 'jobs' });
  const twilio = config.sms.twilio;
  const handlers: Record<string, JobHandler> = {};
  const dormant: Record<string, string> = {};
  if (twilio) {
    handlers[SALE_RECEIPT_JOB] = saleReceiptHandler({
      db: app.db,
      log,
      sender: twilioSender(twilio),
      countryCode: config.sms.countryCode,
      hotspotUrl: config.sms.hotspotUrl,
      statusCallbackUrl: (jobId) => twilioStatusUrl(config.publicUrl, jobId),
    });
  } else {
    dormant[SALE_RECEIPT_JOB] =
      'SMS is not configured (set KASI_TWILIO_ACCOUNT_SID, KASI_TWILIO_AUTH_TOKEN and KASI_TWILIO_FROM)';
  }
  const runner = new JobRunner({
    db: app.db,
    log,
    handlers,
    dormant,
    pollMs: config.jobs.pollMs,
    maxAttempts: config.jobs.maxAttempts,
  });
  const twilioStatus = twilio
    ? twilioStatusHandler(app, { authToken: twilio.authToken, publicUrl: config.publicUrl })
    : null;
  return { runner, twilioStatus };
}
