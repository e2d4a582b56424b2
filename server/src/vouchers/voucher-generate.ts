// Fills a new voucher batch with codes inside the caller's transaction. All codes are
// drawn at once and sorted, so the (tenant, code) index is written in key order; they go
// in as large multi-row inserts (one text parameter per statement, split in SQL); a code
// that collides with an older one is skipped by ON CONFLICT and the shortfall drawn again.
import { sql } from 'drizzle-orm';
import type { Transaction, voucherBatches } from '@kasi/db';
import { conflict, generateVoucherCodes } from '@kasi/domain';

/** Rows per statement: large enough that round trips do not matter, small enough for work_mem. */
const CHUNK = 10_000;

type BatchRow = Pick<
  typeof voucherBatches.$inferSelect,
  'id' | 'tenantId' | 'planId' | 'codeLength' | 'prefix'
>;

type DrawCodes = typeof generateVoucherCodes;

export async function insertBatchCodes(
  tx: Transaction,
  batch: BatchRow,
  quantity: number,
  opts: { draw?: DrawCodes } = {},
): Promise<void> {
  const draw = opts.draw ?? generateVoucherCodes;
  let missing = quantity;
  while (missing > 0) {
    const codes = draw(missing, { length: batch.codeLength, prefix: batch.prefix }).sort();
    let inserted = 0;
    for (let i = 0; i < codes.length; i += CHUNK) {
      inserted += await insertChunk(tx, batch, codes.slice(i, i + CHUNK));
    }
    // Only a nearly full code space makes a whole draw collide; more draws would not end.
    if (inserted === 0) {
      throw conflict('VOUCHER.CODE_SPACE_FULL', 'No unused codes left at this length: use longer codes');
    }
    missing -= inserted;
  }
}

async function insertChunk(tx: Transaction, batch: BatchRow, codes: string[]): Promise<number> {
  // Codes hold only alphabet symbols, so a comma-joined string is an exact, cheap encoding.
  const [row] = await tx.execute<{ n: number }>(sql`
    with inserted as (
      insert into vouchers (tenant_id, batch_id, plan_id, code)
      select ${batch.tenantId}::uuid, ${batch.id}::uuid, ${batch.planId}::uuid, code
      from unnest(string_to_array(${codes.join(',')}, ',')) as code
      on conflict (tenant_id, code) do nothing
      returning 1
    )
    select count(*)::int as n from inserted`);
  return row?.n ?? 0;
}
