// The whole API. The PWA imports only `type AppRouter` from here.
import { auditRouter } from '../audit/audit.router.ts';
import { authRouter } from '../auth/auth.router.ts';
import { accountRouter } from '../auth/account.router.ts';
import { memberRouter } from '../auth/member.router.ts';
import { nasRouter } from '../nas/nas.router.ts';
import { planRouter } from '../plans/plan.router.ts';
import { voucherRouter } from '../vouchers/voucher.router.ts';
import { subscriberRouter } from '../subscribers/subscriber.router.ts';
import { sessionRouter } from '../sessions/session.router.ts';
import { routerRouter } from '../routers/router.router.ts';
import { agentRouter } from '../agents/agent.router.ts';
import { syncRouter } from '../sync/sync.router.ts';
import { cashRouter } from '../cash/cash.router.ts';
import { billingRouter } from '../billing/billing.router.ts';
import { invoiceRouter } from '../billing/invoice.router.ts';
import { paymentRouter } from '../billing/payment.router.ts';
import { dashboardRouter } from '../dashboard/dashboard.router.ts';
import { gatewayRouter } from '../payments/gateway.router.ts';
import { reconcileRouter } from '../payments/reconcile.router.ts';
import { settingsRouter } from '../settings/settings.router.ts';
import { searchRouter } from '../search/search.router.ts';
import { reportRouter } from '../reports/report.router.ts';
import { smsRouter } from '../sms/sms.router.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  member: memberRouter,
  plan: planRouter,
  voucher: voucherRouter,
  nas: nasRouter,
  subscriber: subscriberRouter,
  session: sessionRouter,
  router: routerRouter,
  audit: auditRouter,
  agent: agentRouter,
  sync: syncRouter,
  cash: cashRouter,
  billing: billingRouter,
  invoice: invoiceRouter,
  payment: paymentRouter,
  dashboard: dashboardRouter,
  gateway: gatewayRouter,
  reconcile: reconcileRouter,
  search: searchRouter,
  report: reportRouter,
  sms: smsRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
