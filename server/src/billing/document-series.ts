// Gap-free document numbers (invoices, credit notes, receipts), one series per tenant and
// kind. The counter row is taken with an upsert inside the issuing transaction: its row
// lock makes concurrent issuers wait in turn, and a rollback returns the number, so a
// series never skips, never repeats and is never reset (ARCHITECTURE decision 2).
import { sql } from 'drizzle-orm';
import { documentSeries, type DocumentSeries } from '@kasi/db';
import type { Tx } from './billing-tx.ts';

export async function nextDocumentNumber(tx: Tx, tenantId: string, series: DocumentSeries): Promise<bigint> {
  const [row] = await tx
    .insert(documentSeries)
    .values({ tenantId, series, lastNumber: 1n })
    .onConflictDoUpdate({
      target: [documentSeries.tenantId, documentSeries.series],
      set: { lastNumber: sql`${documentSeries.lastNumber} + 1` },
    })
    .returning({ n: documentSeries.lastNumber });
  if (!row) throw new Error('document series upsert returned nothing');
  return row.n;
}

export const displayNumber = (prefix: string, n: bigint) => `${prefix}${n.toString().padStart(6, '0')}`;
