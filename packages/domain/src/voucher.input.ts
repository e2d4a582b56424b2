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

export const PRINT_LAYOUTS = ['a4', 'thermal58'] as const;
export type PrintLayout = (typeof PRINT_LAYOUTS)[number];
export const DEFAULT_HOTSPOT_URL = 'http://hotspot.lan';
/**
 * Cards per print run: 100 A4 pages, about 1.5 s of rendering. Batches hold up to 100,000
 * codes; rendering one whole would hold the server's event loop for minutes, so larger
 * batches are printed in several runs.
 */
export const MAX_PRINT_CARDS = 2_100;

// Only http(s): a javascript: or data: URL in a QR code would be an attack on the buyer.
const httpUrl = z
  .string()
  .trim()
  .max(200)
  .refine(
    (s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol),
    'Must be an http(s) address',
  )
  .transform((s) => s.replace(/\/+$/, ''));

/** A print run: how many stock codes of a batch go on paper, and what the cards say. */
export const printRunInput = z.object({
  batchId: z.uuid(),
  layout: z.enum(PRINT_LAYOUTS),
  count: z.number().int().min(1).max(MAX_PRINT_CARDS),
  /** Absent: the tenant's hotspot login address (Settings), else the server's, else DEFAULT_HOTSPOT_URL. */
  hotspotUrl: httpUrl.optional(),
  /** Empty: the tenant's name. */
  brand: z.string().trim().max(40).default(''),
  footer: z.string().trim().max(80).default(''),
});
export type PrintRunInput = z.input<typeof printRunInput>;
