// Sells one voucher for one signed op, inside the op's savepoint: the voucher moves only if it
// is still leased to this device, unsold, and no customer logged in with it before the sale
// (voucher-channel.ts in @kasi/domain), and the sale row (unique sale id, unique
// (device, seq)) goes in with it or not at all. One statement does both, so the usual op costs
// one round trip; a Rejection thrown out of the savepoint undoes whatever it moved.
import { and, eq, sql } from 'drizzle-orm';
import { voucherSales, vouchers, type Transaction } from '@kasi/db';
import {
  SALE_CLOCK_TOLERANCE_MS,
  usedBeforeSale,
  type CredentialStatus,
  type SignedSaleOp,
  type SyncReason,
} from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import type { DeviceRow } from '../agents/device.repository.ts';

/**
 * A buyer may log in before the agent's phone syncs: such codes are sold all the same, as long
 * as the first login came after the sale (a login before it means someone else had the code).
 */
const SELLABLE: CredentialStatus[] = ['leased', 'active', 'exhausted', 'expired'];
const SELLABLE_SQL = sql.raw(SELLABLE.map((s) => `'${s}'`).join(', '));

export class Rejection extends Error {
  readonly reason: SyncReason;
  readonly found: Record<string, unknown>;
  constructor(reason: SyncReason, found: Record<string, unknown> = {}) {
    super(reason);
    this.reason = reason;
    this.found = found;
  }
}

/** What the ledger and the receipt need from the sold code's lease. */
export interface SoldVoucher {
  voucherId: string;
  leaseId: string;
  planId: string;
  unitPriceMinor: bigint;
  currency: string;
}

export interface SellInput {
  /** The op's savepoint. */
  sp: Transaction;
  actor: Actor;
  device: DeviceRow;
  op: SignedSaleOp;
  hash: string;
}

/** Sells the op's code, or throws a Rejection saying why it cannot. */
export async function sellVoucher(input: SellInput): Promise<SoldVoucher> {
  const [row] = await input.sp.execute<SellRow>(sellStatement(input));
  if (row?.inserted) {
    if (!row.lease_id || !row.plan_id || row.unit_price_minor === null || !row.currency) {
      throw new Error('a leased voucher without its lease');
    }
    return {
      voucherId: row.voucher_id,
      leaseId: row.lease_id,
      planId: row.plan_id,
      unitPriceMinor: BigInt(row.unit_price_minor),
      currency: row.currency,
    };
  }
  throw row ? await whySaleNotInserted(input) : await diagnose(input);
}

interface SellRow extends Record<string, unknown> {
  voucher_id: string;
  lease_id: string | null;
  plan_id: string | null;
  unit_price_minor: bigint | string | null;
  currency: string | null;
  inserted: boolean;
}

function sellStatement({ actor, device, op, hash }: SellInput) {
  const tenant = sql`${actor.tenantId}::uuid`;
  const soldAt = sql`${op.soldAt}::timestamptz`;
  return sql`
    with sold as (
      update vouchers
      set status = case when status = 'leased' then 'sold' else status end, sold_at = ${soldAt}
      where tenant_id = ${tenant} and code = ${op.code} and leased_device_id = ${device.id}::uuid
        and channel = 'leased' and sold_at is null and not locked and status in (${SELLABLE_SQL})
        and (first_used_at is null
          or first_used_at >= ${soldAt} - ${SALE_CLOCK_TOLERANCE_MS} * interval '1 millisecond')
      returning id, lease_id
    ), sale as (
      insert into voucher_sales (sale_id, tenant_id, device_id, agent_id, seq, voucher_id, code,
        amount_minor, currency, sold_at, payload_hash, signature, buyer_phone)
      select ${op.saleId}::uuid, ${tenant}, ${device.id}::uuid, ${device.agentId}::uuid, ${op.seq}::int,
        sold.id, ${op.code}, ${op.amountMinor.toString()}::bigint, ${op.currency}, ${soldAt}, ${hash},
        ${op.signature}, ${op.buyerPhone}::text
      from sold
      on conflict do nothing
      returning sale_id
    )
    select sold.id as voucher_id, l.id as lease_id, l.plan_id, l.unit_price_minor, l.currency,
      exists (select 1 from sale) as inserted
    from sold left join voucher_leases l on l.id = sold.lease_id and l.tenant_id = ${tenant}`;
}

/** The voucher was sellable but the sale row was refused: its sequence or sale id is taken. */
async function whySaleNotInserted({ sp, actor, device, op }: SellInput): Promise<Rejection> {
  const [seqTaken] = await sp
    .select({ saleId: voucherSales.saleId })
    .from(voucherSales)
    .where(
      and(
        eq(voucherSales.tenantId, actor.tenantId),
        eq(voucherSales.deviceId, device.id),
        eq(voucherSales.seq, op.seq),
      ),
    );
  return new Rejection(seqTaken ? 'seq_reused' : 'sale_id_reused');
}

/** Why the conditional update found no row, for the agent's screen and the operator's list. */
async function diagnose({ sp, actor, device, op }: SellInput): Promise<Rejection> {
  const [v] = await sp
    .select({
      status: vouchers.status,
      locked: vouchers.locked,
      soldAt: vouchers.soldAt,
      leasedDeviceId: vouchers.leasedDeviceId,
      channel: vouchers.channel,
      firstUsedAt: vouchers.firstUsedAt,
    })
    .from(vouchers)
    .where(and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.code, op.code)));
  if (!v) return new Rejection('unknown_code');
  const found = { ...v };
  if (v.status === 'void') return new Rejection('void', found);
  if (v.leasedDeviceId !== device.id || v.channel !== 'leased')
    return new Rejection('not_leased_to_device', found);
  if (v.soldAt) return new Rejection('already_sold', found);
  if (v.locked) return new Rejection('locked', found);
  if (usedBeforeSale(v.firstUsedAt, new Date(op.soldAt))) return new Rejection('used_before_sale', found);
  return new Rejection('not_leased_to_device', found);
}

/**
 * A phone number added on the device after the sale had reached Kasi (its answer was lost, so
 * the device re-signed the op with the number): stored once, on a sale that has none. Returns
 * the lease's plan for the receipt, or null when the sale already had a number.
 */
export async function addBuyerPhone(sp: Transaction, actor: Actor, op: SignedSaleOp): Promise<string | null> {
  const [row] = await sp.execute<{ plan_id: string }>(sql`
    update voucher_sales s set buyer_phone = ${op.buyerPhone}
    from vouchers v join voucher_leases l on l.id = v.lease_id
    where s.tenant_id = ${actor.tenantId}::uuid and s.sale_id = ${op.saleId}::uuid
      and s.buyer_phone is null and v.id = s.voucher_id
    returning l.plan_id`);
  return row?.plan_id ?? null;
}
