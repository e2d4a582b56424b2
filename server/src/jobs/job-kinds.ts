// Every kind of job Kasi knows, in one list: the queue a kind needs is created (and its rules
// and schedule kept current) when pg-boss starts, and `enqueue` refuses a kind not listed here.
// Add a kind: define it beside its feature (`defineJobKind` in `<feature>.job.ts`), list it
// here, and give it a handler in job-wiring.ts. ADR 0009 has the steps.
import { billingJobKinds } from '../billing/billing-job-kinds.ts';
import { paymentJobKinds } from '../payments/payment-jobs.ts';
import { retentionJobs } from '../retention/retention.jobs.ts';
import { saleReceiptJob } from '../sms/sale-receipt.job.ts';
import { smsRetentionJob } from '../sms/sms-retention.job.ts';
import { smsSendJob } from '../sms/sms-send.job.ts';
import type { AnyJobKind } from './job-kind.ts';

export const JOB_KINDS: readonly AnyJobKind[] = [
  saleReceiptJob,
  smsSendJob,
  ...retentionJobs,
  smsRetentionJob,
  ...billingJobKinds,
  ...paymentJobKinds,
] as readonly AnyJobKind[];
