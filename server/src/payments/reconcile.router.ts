// reconcile.*: the daily reconciliation page (ADR 0029) — a day's runs per provider with
// their differences and the day's totals by method, "run now", and asking M-Pesa about a
// receipt a customer quotes (Transaction Status; the answer arrives on its callback).
import { authedProcedure, router } from '../trpc/trpc.ts';
import { paymentDepsOf } from './payment-deps.ts';
import {
  reconcileDayInput,
  reconcileRunInput,
  reconciliationDay,
  runReconciliation,
} from './reconcile.service.ts';
import { checkMpesaReceipt, checkMpesaReceiptRequest } from './transaction-status.service.ts';

export const reconcileRouter = router({
  day: authedProcedure
    .input(reconcileDayInput)
    .query(({ ctx, input }) => reconciliationDay(paymentDepsOf(ctx.app), ctx.actor, input)),
  run: authedProcedure
    .input(reconcileRunInput)
    .mutation(({ ctx, input }) => runReconciliation(paymentDepsOf(ctx.app), ctx.actor, input)),
  checkMpesaReceipt: authedProcedure
    .input(checkMpesaReceiptRequest)
    .mutation(({ ctx, input }) => checkMpesaReceipt(paymentDepsOf(ctx.app), ctx.actor, input)),
});
