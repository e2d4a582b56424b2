// gateway.*: an operator's online payments — gateway settings (set, enable, test; secrets
// go in and never come out), the attempts list, refunds of payments and plan purchases (ADR 0021), and pay links for an
// invoice or a balance (sent by SMS from the console), and the console's payments screens.
import { authedProcedure, router } from '../trpc/trpc.ts';
import { gatewayRefInput, gatewaySettingsInput, gatewayToggleInput } from './gateway-settings.input.ts';
import { listGateways, setGateway, setGatewayEnabled, testGateway } from './gateway-settings.service.ts';
import { createPayLink, payLinkInput } from './pay-link.service.ts';
import { attemptListInput, listAttempts } from './payment-attempt.read.ts';
import {
  listPlanPurchases,
  planPurchaseInput,
  planPurchaseListInput,
  planPurchaseOfCode,
} from './plan-purchases.read.ts';
import { paymentDepsOf } from './payment-deps.ts';
import { listSuspense, matchSuspense, matchSuspenseInput } from './suspense.service.ts';
import { planRefundInput, refundDecisionInput, refundInput, refundListInput } from '@kasi/domain';
import { listRefunds, requestRefund } from './refund.service.ts';
import { decideAnyRefund, requestPlanRefund } from './plan-refund.service.ts';
import {
  listPaymentsFiltered,
  matchCandidates,
  matchCandidatesInput,
  paymentDetail,
  paymentListInput,
} from './payments-read.ts';
import { sendPayLink, sendPayLinkInput } from './pay-link-send.ts';
import { z } from 'zod';

export const gatewayRouter = router({
  list: authedProcedure.query(({ ctx }) => listGateways(paymentDepsOf(ctx.app), ctx.actor)),
  set: authedProcedure
    .input(gatewaySettingsInput)
    .mutation(({ ctx, input }) => setGateway(paymentDepsOf(ctx.app), ctx.actor, input)),
  setEnabled: authedProcedure
    .input(gatewayToggleInput)
    .mutation(({ ctx, input }) => setGatewayEnabled(paymentDepsOf(ctx.app), ctx.actor, input)),
  test: authedProcedure
    .input(gatewayRefInput)
    .mutation(({ ctx, input }) => testGateway(paymentDepsOf(ctx.app), ctx.actor, input)),
  attempts: authedProcedure
    .input(attemptListInput)
    .query(({ ctx, input }) => listAttempts(ctx.app, ctx.actor, input)),
  /** Paid "buy plan" purchases, and the one that bought a code (with its refunds). */
  planPurchases: authedProcedure
    .input(planPurchaseListInput)
    .query(({ ctx, input }) => listPlanPurchases(ctx.app, ctx.actor, input)),
  planPurchase: authedProcedure
    .input(planPurchaseInput)
    .query(({ ctx, input }) => planPurchaseOfCode(ctx.app, ctx.actor, input)),
  suspense: authedProcedure.query(({ ctx }) => listSuspense(paymentDepsOf(ctx.app), ctx.actor)),
  matchSuspense: authedProcedure
    .input(matchSuspenseInput)
    .mutation(({ ctx, input }) => matchSuspense(paymentDepsOf(ctx.app), ctx.actor, input)),
  refund: authedProcedure
    .input(refundInput)
    .mutation(({ ctx, input }) => requestRefund(paymentDepsOf(ctx.app), ctx.actor, input)),
  refundPlan: authedProcedure
    .input(planRefundInput)
    .mutation(({ ctx, input }) => requestPlanRefund(paymentDepsOf(ctx.app), ctx.actor, input)),
  decideRefund: authedProcedure
    .input(refundDecisionInput)
    .mutation(({ ctx, input }) => decideAnyRefund(paymentDepsOf(ctx.app), ctx.actor, input)),
  refunds: authedProcedure
    .input(refundListInput)
    .query(({ ctx, input }) => listRefunds(paymentDepsOf(ctx.app), ctx.actor, input)),
  createPayLink: authedProcedure
    .input(payLinkInput)
    .mutation(({ ctx, input }) => createPayLink(paymentDepsOf(ctx.app), ctx.actor, input)),
  sendPayLink: authedProcedure
    .input(sendPayLinkInput)
    .mutation(({ ctx, input }) => sendPayLink(paymentDepsOf(ctx.app), ctx.actor, input)),
  payments: authedProcedure
    .input(paymentListInput.default({ limit: 100 }))
    .query(({ ctx, input }) => listPaymentsFiltered(ctx.app, ctx.actor, input)),
  payment: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => paymentDetail(ctx.app, ctx.actor, input.id)),
  matchCandidates: authedProcedure
    .input(matchCandidatesInput)
    .query(({ ctx, input }) => matchCandidates(ctx.app, ctx.actor, input)),
});
