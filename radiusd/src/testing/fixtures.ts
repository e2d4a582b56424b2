// Rows for radiusd's integration tests, inserted straight through the shared schema.
import { randomUUID } from 'node:crypto';
import { nas, plans, tenants, voucherBatches, vouchers, type Database } from '@kasi/db';
import { generateVoucherCodes } from '@kasi/domain';
import type { AccountingRecord } from '../accounting.ts';

export async function seedVoucherWorld(
  db: Database,
  planOverrides: Partial<typeof plans.$inferInsert> = {},
  voucherCount = 3,
) {
  const [tenant] = await db
    .insert(tenants)
    .values({ name: 't', slug: `t-${randomUUID().slice(0, 8)}`, currency: 'KES' })
    .returning();
  if (!tenant) throw new Error('no tenant');
  const [router] = await db
    .insert(nas)
    .values({ tenantId: tenant.id, name: 'r', address: `fixture-${randomUUID()}`, secretEnc: 'unused' })
    .returning();
  const [plan] = await db
    .insert(plans)
    .values({
      tenantId: tenant.id,
      name: 'p',
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      validitySeconds: 3600,
      priceMinor: 100n,
      currency: 'KES',
      ...planOverrides,
    })
    .returning();
  if (!router || !plan) throw new Error('no router or plan');
  const [batch] = await db
    .insert(voucherBatches)
    .values({ tenantId: tenant.id, planId: plan.id, name: 'b', quantity: voucherCount, codeLength: 8 })
    .returning();
  if (!batch) throw new Error('no batch');
  const codes = generateVoucherCodes(voucherCount, { length: 8 });
  await db
    .insert(vouchers)
    .values(codes.map((code) => ({ tenantId: tenant.id, batchId: batch.id, planId: plan.id, code })));
  return { tenant, nas: router, plan, codes };
}

/** An Accounting-Request as radiusd decodes it: a Start on port 1 of the world's NAS, counters at zero. */
export function accountingRecord(
  w: { nas: { id: string }; tenant: { id: string } },
  over: Partial<AccountingRecord> & Pick<AccountingRecord, 'userName'>,
): AccountingRecord {
  return {
    status: 'start',
    nasId: w.nas.id,
    tenantId: w.tenant.id,
    acctSessionId: 's1',
    nasPort: '1',
    framedIp: null,
    callingStationId: null,
    sessionTime: 0,
    inputOctets: 0n,
    outputOctets: 0n,
    terminateCause: null,
    at: new Date(),
    ...over,
  };
}
