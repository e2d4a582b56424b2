import { z } from 'zod';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { checkAuditChain, listAudit } from './audit.service.ts';

export const auditRouter = router({
  list: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), before: z.bigint().optional() }))
    .query(({ ctx, input }) => listAudit(ctx.app, ctx.actor, input)),
  verify: authedProcedure.query(({ ctx }) => checkAuditChain(ctx.app, ctx.actor)),
});
