// Voucher batch input shape, shared by tRPC, the CLI and the PWA.
import { z } from 'zod';
import { MAX_CODE_LENGTH, MIN_CODE_LENGTH, VOUCHER_ALPHABET } from './voucher-code.ts';

export const MAX_BATCH_SIZE = 100_000;

export const voucherBatchInput = z.object({
  planId: z.uuid(),
  name: z.string().trim().min(1).max(80).optional(),
  quantity: z.number().int().min(1).max(MAX_BATCH_SIZE),
  codeLength: z.number().int().min(MIN_CODE_LENGTH).max(MAX_CODE_LENGTH).default(8),
  prefix: z
    .string()
    .toUpperCase()
    .max(8)
    .refine((p) => [...p].every((c) => VOUCHER_ALPHABET.includes(c)), `Prefix symbols: ${VOUCHER_ALPHABET}`)
    .default(''),
});
export type VoucherBatchInput = z.input<typeof voucherBatchInput>;
