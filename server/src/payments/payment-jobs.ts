// Payment job kinds and their handlers, listed once for job-kinds.ts and job-wiring.ts.
import type { AnyJobKind } from '../jobs/job-kind.ts';
import type { JobHandler } from '../jobs/job-worker.ts';
import { hotspotLoginHandler, hotspotLoginJob } from '../hotspot/hotspot-login.job.ts';
import { paymentApplyHandler, paymentApplyJob } from './payment-apply.job.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { paymentReconcileHandler, paymentReconcileJob } from './payment-reconcile.job.ts';
import { paymentReconcileDayHandler, paymentReconcileDayJob } from './reconcile.job.ts';

export const paymentJobKinds = [
  paymentApplyJob,
  paymentReconcileJob,
  paymentReconcileDayJob,
  hotspotLoginJob,
] as unknown as readonly AnyJobKind[];

export const paymentHandlers = (deps: PaymentDeps): JobHandler[] => [
  paymentApplyHandler(deps),
  paymentReconcileHandler(deps),
  // After a "buy now" payment: the device's hotspot login (server/src/hotspot, ADR 0024).
  hotspotLoginHandler(deps.app),
  paymentReconcileDayHandler(deps),
];
