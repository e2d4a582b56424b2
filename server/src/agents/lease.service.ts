// Leases: blocks of generated codes handed to one approved device for offline sale, priced
// at the plan's price when leased. The agent's exposure (unsold stock at face value plus
// cash owed) may not pass the credit limit; an operator can revoke a lease at any time.
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  plans,
  voucherBatches,
  voucherLeases,
  vouchers,
  writeAudit,
  type Executor,
  type Transaction,
} from '@kasi/db';
import { conflict, invalid, leaseHeadroom, leaseInput, notFound, type LeaseInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { findAgent, requireOwnAgent } from './agent.service.ts';
import { bumpFeedVersion, findDevice, revokeLeases } from './device.repository.ts';
import { insertBatchCodes } from '../vouchers/voucher-generate.ts';
import { drawStock, sellableStock } from '../vouchers/voucher-stock.ts';

export interface Exposure {
  /** Sum of the agent's ledger: cash owed (negative when a float was paid in advance). */
  outstandingMinor: bigint;
  /** Codes held on the agent's devices, not sold and not locked, at their lease price. */
  unsoldFaceMinor: bigint;
  unsoldCount: number;
}

/** Both figures from one statement, so a sale committing in between is never missed. */
export async function agentExposure(db: Executor, tenantId: string, agentId: string): Promise<Exposure> {
  const rows = await db.execute(sql`
    select
      (select coalesce(sum(amount_minor), 0)::bigint from agent_ledger
        where tenant_id = ${tenantId} and agent_id = ${agentId}) as outstanding,
      coalesce(sum(l.unit_price_minor), 0)::bigint as unsold_face,
      count(v.id)::int as unsold_count
    from voucher_leases l
    join vouchers v on v.lease_id = l.id and v.leased_device_id = l.device_id
    where l.tenant_id = ${tenantId} and l.agent_id = ${agentId}
      and v.sold_at is null and not v.locked and v.status <> 'void'`);
  const r = rows[0] ?? {};
  return {
    outstandingMinor: BigInt(String(r.outstanding ?? 0)),
    unsoldFaceMinor: BigInt(String(r.unsold_face ?? 0)),
    unsoldCount: Number(r.unsold_count ?? 0),
  };
}

async function leaseCodes(app: AppContext, actor: Actor, input: LeaseInput, ownAgentId?: string) {
  const { deviceId, planId, count } = leaseInput.parse(input);
  return app.db.transaction(async (tx) => {
    const probe = await findDevice(tx, actor, deviceId, { agentId: ownAgentId });
    // Lock order everywhere: agent, then device, then vouchers, audit last.
    const agent = await findAgent(tx, actor, probe.agentId, true);
    const device = await findDevice(tx, actor, deviceId, { lock: true });
    if (device.status !== 'approved') throw conflict('DEVICE.NOT_APPROVED', `The device is ${device.status}`);
    if (agent.status !== 'active') throw conflict('AGENT.SUSPENDED', 'The agent is suspended');
    const [plan] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.id, planId)));
    if (!plan) throw notFound('PLAN.NOT_FOUND', 'No such plan');
    if (!plan.active) throw conflict('PLAN.INACTIVE', `The plan "${plan.name}" is not on sale`);
    if (plan.currency !== agent.currency) {
      throw invalid(
        'LEASE.CURRENCY_MISMATCH',
        `The plan is priced in ${plan.currency}, the agent in ${agent.currency}`,
      );
    }
    const exposure = await agentExposure(tx, actor.tenantId, agent.id);
    const requestedMinor = plan.priceMinor * BigInt(count);
    const headroomMinor = leaseHeadroom({ creditLimitMinor: agent.creditLimitMinor, ...exposure });
    if (requestedMinor > headroomMinor) {
      throw conflict('LEASE.LIMIT_EXCEEDED', 'This lease would take the agent past their limit', {
        creditLimitMinor: agent.creditLimitMinor,
        outstandingMinor: exposure.outstandingMinor,
        unsoldFaceMinor: exposure.unsoldFaceMinor,
        requestedMinor,
        headroomMinor,
      });
    }
    const version = await bumpFeedVersion(tx, device);
    const [lease] = await tx
      .insert(voucherLeases)
      .values({
        tenantId: actor.tenantId,
        deviceId: device.id,
        agentId: agent.id,
        planId: plan.id,
        count,
        unitPriceMinor: plan.priceMinor,
        currency: plan.currency,
        version,
        createdBy: actor.userId,
      })
      .returning();
    if (!lease) throw new Error('insert returned nothing');
    // An operator issuing more than the plan has in stock gets the missing codes made here,
    // in the same transaction; an agent's own request stays limited to the stock there is.
    if (!ownAgentId) await generateShortfall(tx, actor, plan, count);
    const picked = await drawStock(tx, {
      tenantId: actor.tenantId,
      from: { planId: plan.id },
      count,
      to: { channel: 'leased', leasedDeviceId: device.id, leaseId: lease.id },
      shortCode: 'LEASE.NOT_ENOUGH_CODES',
    });
    const codes = picked.map((p) => p.code);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'lease.create',
      entityType: 'voucher_lease',
      entityId: lease.id,
      after: { ...lease, codes },
    });
    return { lease, codes };
  });
}

/**
 * Makes a new batch of the plan with the codes a lease of `count` lacks (none when the stock
 * suffices), shaped like the plan's latest batch (code length, prefix), audited.
 */
async function generateShortfall(
  tx: Transaction,
  actor: Actor,
  plan: { id: string; name: string },
  count: number,
): Promise<void> {
  const [stock] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(vouchers)
    .where(and(sellableStock(actor.tenantId), eq(vouchers.planId, plan.id)));
  const missing = count - (stock?.n ?? 0);
  if (missing <= 0) return;
  const [latest] = await tx
    .select({ codeLength: voucherBatches.codeLength, prefix: voucherBatches.prefix })
    .from(voucherBatches)
    .where(and(eq(voucherBatches.tenantId, actor.tenantId), eq(voucherBatches.planId, plan.id)))
    .orderBy(desc(voucherBatches.createdAt))
    .limit(1);
  const [batch] = await tx
    .insert(voucherBatches)
    .values({
      tenantId: actor.tenantId,
      planId: plan.id,
      name: `${plan.name} × ${missing} (issued to an agent)`,
      quantity: missing,
      codeLength: latest?.codeLength ?? 8,
      prefix: latest?.prefix ?? '',
      createdBy: actor.userId,
    })
    .returning();
  if (!batch) throw new Error('insert returned nothing');
  await insertBatchCodes(tx, batch, missing);
  await writeAudit(tx, {
    ...auditActor(actor),
    action: 'voucher_batch.create',
    entityType: 'voucher_batch',
    entityId: batch.id,
    after: batch,
  });
}

/** An operator leases stock to an agent's device. */
export async function leaseVouchers(app: AppContext, actor: Actor, input: LeaseInput) {
  requirePermission(actor, 'agent.manage');
  return leaseCodes(app, actor, input);
}

/** An agent asks for more stock for their own device, within the same limits. */
export async function requestLease(app: AppContext, actor: Actor, input: LeaseInput) {
  requirePermission(actor, 'sale.sync');
  const agent = await requireOwnAgent(app.db, actor);
  return leaseCodes(app, actor, input, agent.id);
}

export async function revokeLease(app: AppContext, actor: Actor, leaseId: string) {
  requirePermission(actor, 'agent.manage');
  return app.db.transaction(async (tx) => {
    const [lease] = await tx
      .select()
      .from(voucherLeases)
      .where(and(eq(voucherLeases.tenantId, actor.tenantId), eq(voucherLeases.id, leaseId)));
    if (!lease) throw notFound('LEASE.NOT_FOUND', 'No such lease');
    const device = await findDevice(tx, actor, lease.deviceId, { lock: true });
    const { leaseIds, lockedCodes } = await revokeLeases(tx, actor, device, lease.id);
    if (!leaseIds.length) throw conflict('LEASE.ALREADY_REVOKED', 'The lease is already revoked');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'lease.revoke',
      entityType: 'voucher_lease',
      entityId: lease.id,
      before: lease,
      after: { lockedCodes },
    });
    return { leaseId: lease.id, lockedCodes };
  });
}

/** The tenant's leases, newest first; narrowed to one device or one agent's devices. */
export async function listLeases(
  app: AppContext,
  actor: Actor,
  opts: { deviceId?: string | undefined; agentId?: string | undefined } = {},
) {
  requirePermission(actor, 'agent.manage');
  return app.db
    .select({
      lease: voucherLeases,
      planName: plans.name,
      sold: sql<number>`count(*) filter (where ${vouchers.soldAt} is not null)`.mapWith(Number),
      locked: sql<number>`count(*) filter (where ${vouchers.locked})`.mapWith(Number),
    })
    .from(voucherLeases)
    .innerJoin(plans, eq(plans.id, voucherLeases.planId))
    .leftJoin(vouchers, eq(vouchers.leaseId, voucherLeases.id))
    .where(
      and(
        eq(voucherLeases.tenantId, actor.tenantId),
        opts.deviceId ? eq(voucherLeases.deviceId, opts.deviceId) : undefined,
        opts.agentId ? eq(voucherLeases.agentId, opts.agentId) : undefined,
      ),
    )
    .groupBy(voucherLeases.id, plans.name)
    .orderBy(desc(voucherLeases.createdAt));
}
