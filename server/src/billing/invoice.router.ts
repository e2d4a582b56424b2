// invoice.*: drafts, finalisation, credit notes (void = a full credit note), approvals.
import { z } from 'zod';
import { creditNoteInput, invoiceDraftInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { createInvoiceDraft, finaliseInvoice, getInvoice, listInvoices } from './invoice.service.ts';
import { createCreditNote, decideCreditNote } from './credit-note.service.ts';

const byId = z.object({ id: z.uuid() });

export const invoiceRouter = router({
  list: authedProcedure
    .input(
      z
        .object({
          subscriberId: z.uuid().optional(),
          status: z.enum(['draft', 'open', 'partially_paid', 'paid', 'void']).optional(),
          kind: z.enum(['invoice', 'credit_note']).optional(),
          limit: z.number().int().min(1).max(1000).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => listInvoices(ctx.app, ctx.actor, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getInvoice(ctx.app, ctx.actor, input.id)),
  createDraft: authedProcedure
    .input(invoiceDraftInput)
    .mutation(({ ctx, input }) => createInvoiceDraft(ctx.app, ctx.actor, input)),
  finalise: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => finaliseInvoice(ctx.app, ctx.actor, input.id)),
  creditNote: authedProcedure
    .input(creditNoteInput)
    .mutation(({ ctx, input }) => createCreditNote(ctx.app, ctx.actor, input)),
  void: authedProcedure
    .input(z.object({ id: z.uuid(), reason: z.string().trim().min(1).max(300) }))
    .mutation(({ ctx, input }) =>
      createCreditNote(ctx.app, ctx.actor, { invoiceId: input.id, reason: input.reason }),
    ),
  decideCreditNote: authedProcedure
    .input(z.object({ id: z.uuid(), decision: z.enum(['approve', 'reject']) }))
    .mutation(({ ctx, input }) => decideCreditNote(ctx.app, ctx.actor, input.id, input.decision)),
});
