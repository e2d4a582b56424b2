import { z } from 'zod';
import { printRunInput, voucherBatchInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import {
  createVoucherBatch,
  holdTestCode,
  listBatchVouchers,
  listVoucherBatches,
  lockVouchers,
  unlockVouchers,
  voidVouchers,
} from './voucher.service.ts';
import { createPrintRun, listPrintRuns } from './print/print-run.service.ts';
import { voucherFigures } from './voucher-figures.ts';
import { extendCode, extendCodeInput, voucherByCode, voucherByCodeInput } from './voucher-lookup.ts';
import { extendBatch, extendBatchInput, replanBatch, replanBatchInput } from './voucher-batch-ops.ts';

const voucherIds = z.object({ ids: z.array(z.uuid()).min(1).max(10_000) });

export const voucherRouter = router({
  batches: authedProcedure.query(({ ctx }) => listVoucherBatches(ctx.app, ctx.actor)),
  createBatch: authedProcedure
    .input(voucherBatchInput)
    .mutation(({ ctx, input }) => createVoucherBatch(ctx.app, ctx.actor, input)),
  codes: authedProcedure
    .input(
      z.object({
        batchId: z.uuid(),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(({ ctx, input }) => listBatchVouchers(ctx.app, ctx.actor, input.batchId, input)),
  void: authedProcedure
    .input(voucherIds)
    .mutation(({ ctx, input }) => voidVouchers(ctx.app, ctx.actor, input.ids)),
  lock: authedProcedure
    .input(voucherIds)
    .mutation(({ ctx, input }) => lockVouchers(ctx.app, ctx.actor, input.ids)),
  unlock: authedProcedure
    .input(voucherIds)
    .mutation(({ ctx, input }) => unlockVouchers(ctx.app, ctx.actor, input.ids)),
  extendBatch: authedProcedure
    .input(extendBatchInput)
    .mutation(({ ctx, input }) => extendBatch(ctx.app, ctx.actor, input)),
  /** Takes stock codes onto paper; the console then opens /print/runs/<id>.pdf. */
  printRun: authedProcedure
    .input(printRunInput)
    .mutation(({ ctx, input }) => createPrintRun(ctx.app, ctx.actor, input)),
  printRuns: authedProcedure
    .input(z.object({ batchId: z.uuid() }))
    .query(({ ctx, input }) => listPrintRuns(ctx.app, ctx.actor, input.batchId)),
  holdForTest: authedProcedure
    .input(z.object({ batchId: z.uuid() }))
    .mutation(({ ctx, input }) => holdTestCode(ctx.app, ctx.actor, input.batchId)),
  figures: authedProcedure
    .input(z.object({ by: z.enum(['plan', 'tenant']) }))
    .query(async ({ ctx, input }) => [...(await voucherFigures(ctx.app, ctx.actor, input.by))]),
  /** One code's page: channel, state, plan, batch, first login, expiry, MACs, sessions. */
  byCode: authedProcedure
    .input(voucherByCodeInput)
    .query(({ ctx, input }) => voucherByCode(ctx.app, ctx.actor, input)),
  extendCode: authedProcedure
    .input(extendCodeInput)
    .mutation(({ ctx, input }) => extendCode(ctx.app, ctx.actor, input)),
  replanBatch: authedProcedure
    .input(replanBatchInput)
    .mutation(({ ctx, input }) => replanBatch(ctx.app, ctx.actor, input)),
});
