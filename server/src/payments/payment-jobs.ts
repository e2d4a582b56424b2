// Payment job kinds and their handlers, listed once for job-kinds.ts and job-wiring.ts.
import type { AnyJobKind } from '../jobs/job-kind.ts';
import type { JobHandler } from '../jobs/job-worker.ts';
import { paymentApplyHandler, paymentApplyJob } from './payment-apply.job.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { paymentReconcileHandler, paymentReconcileJob } from './payment-reconcile.job.ts';

export const paymentJobKinds = [paymentApplyJob, paymentReconcileJob] as unknown as readonly AnyJobKind[];

export const paymentHandlers = (deps: PaymentDeps): JobHandler[] => [
  paymentApplyHandler(deps),
  paymentReconcileHandler(deps),
];
