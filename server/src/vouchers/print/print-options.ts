// What an operator may choose when printing a batch: layout, the hotspot whose login page
// the QR code opens, and short branding lines. Parsed once from the query string.
import { z } from 'zod';
import { invalid } from '@kasi/domain';

export const PRINT_LAYOUTS = ['a4', 'thermal58'] as const;
export type PrintLayout = (typeof PRINT_LAYOUTS)[number];

export const DEFAULT_HOTSPOT_URL = 'http://hotspot.lan';
/**
 * Cards per request: 100 A4 pages, about 1.5 s of rendering. Batches hold up to 100,000
 * codes; rendering one whole would hold the server's event loop for minutes, so larger
 * batches are printed in slices with `offset`.
 */
export const MAX_PRINT_CARDS = 2_100;

// Only http(s): a javascript: or data: URL in a QR code would be an attack on the buyer.
const httpUrl = z
  .string()
  .trim()
  .max(200)
  .refine((s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol), 'must be http(s)');

const printQuery = z.object({
  layout: z.enum(PRINT_LAYOUTS).default('a4'),
  hotspot: httpUrl.default(DEFAULT_HOTSPOT_URL),
  brand: z.string().trim().max(40).optional(),
  footer: z.string().trim().max(80).default(''),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PRINT_CARDS).default(MAX_PRINT_CARDS),
});

export interface PrintOptions {
  layout: PrintLayout;
  hotspotUrl: string;
  /** null: print the tenant's name. */
  brand: string | null;
  footer: string;
  /** Which printable codes, in batch order. */
  offset: number;
  limit: number;
}

export function parsePrintOptions(params: URLSearchParams): PrintOptions {
  const raw = Object.fromEntries([...params].filter(([, v]) => v !== ''));
  const parsed = printQuery.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw invalid('VOUCHER_PRINT.BAD_OPTIONS', `Invalid print options: ${fields}`);
  }
  const { layout, hotspot, brand, footer, offset, limit } = parsed.data;
  return { layout, hotspotUrl: hotspot.replace(/\/+$/, ''), brand: brand || null, footer, offset, limit };
}

/** The hotspot login page with the code filled in, as MikroTik's login form accepts it. */
export function hotspotLoginUrl(hotspotUrl: string, code: string): string {
  const url = new URL(`${hotspotUrl}/login`);
  url.searchParams.set('username', code);
  url.searchParams.set('password', code);
  return url.toString();
}
