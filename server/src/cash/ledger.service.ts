// The agent cash ledger: handovers and adjustments recorded by operators (sales and
// commission are posted by sync), what each agent owes, and the agent's own "today" view.
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  agentLedger,
  agents,
  tenants,
  users,
  voucherLeases,
  vouchers,
  writeAudit,
  type Executor,
} from '@kasi/db';
import {
  adjustmentInput,
  handoverInput,
  invalid,
  leaseHeadroom,
  summariseLedger,
  type AdjustmentInput,
  type HandoverInput,
  type LedgerKind,
  type LedgerTotals,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { findAgent, requireOwnAgent } from '../agents/agent.service.ts';
import { agentExposure } from '../agents/lease.service.ts';
import { auditActor } from '../audit/audit-actor.ts';

export async function ledgerTotals(db: Executor, tenantId: string, agentId: string): Promise<LedgerTotals> {
  const rows = await db
    .select({
      kind: agentLedger.kind,
      amountMinor: sql<bigint>`sum(${agentLedger.amountMinor})::bigint`.mapWith(BigInt),
    })
    .from(agentLedger)
    .where(and(eq(agentLedger.tenantId, tenantId), eq(agentLedger.agentId, agentId)))
    .groupBy(agentLedger.kind);
  return summariseLedger(rows);
}

async function post(
  app: AppContext,
  actor: Actor,
  entry: { agentId: string; kind: LedgerKind; amountMinor: bigint; currency: string; note: string | null },
) {
  return app.db.transaction(async (tx) => {
    // The agent row lock orders ledger writes against leases checking the limit.
    const agent = await findAgent(tx, actor, entry.agentId, true);
    if (entry.currency !== agent.currency) {
      throw invalid('CASH.CURRENCY_MISMATCH', `This agent's ledger is in ${agent.currency}`);
    }
    const [row] = await tx
      .insert(agentLedger)
      .values({ ...entry, tenantId: actor.tenantId, by: actor.userId })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    const totals = await ledgerTotals(tx, actor.tenantId, agent.id);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `cash.${entry.kind}`,
      entityType: 'agent_ledger',
      entityId: row.id.toString(),
      after: { ...row, outstandingMinor: totals.outstandingMinor },
    });
    return { entry: row, totals };
  });
}

/** Cash the agent handed to the operator: lowers what they owe (or tops up a float). */
export async function recordHandover(app: AppContext, actor: Actor, input: HandoverInput) {
  requirePermission(actor, 'cash.write');
  const v = handoverInput.parse(input);
  return post(app, actor, { ...v, kind: 'handover', amountMinor: -v.amountMinor, note: v.note ?? null });
}

export async function recordAdjustment(app: AppContext, actor: Actor, input: AdjustmentInput) {
  requirePermission(actor, 'cash.write');
  const v = adjustmentInput.parse(input);
  return post(app, actor, { ...v, kind: 'adjustment' });
}

/** Every agent with what they owe, their unsold stock and how much more they may lease. */
export async function outstandingByAgent(app: AppContext, actor: Actor) {
  requirePermission(actor, 'cash.read');
  const [people, sums, stock] = await Promise.all([
    app.db
      .select({ agent: agents, name: users.name, email: users.email })
      .from(agents)
      .innerJoin(users, eq(users.id, agents.userId))
      .where(eq(agents.tenantId, actor.tenantId))
      .orderBy(asc(users.name)),
    app.db
      .select({
        agentId: agentLedger.agentId,
        kind: agentLedger.kind,
        amountMinor: sql<bigint>`sum(${agentLedger.amountMinor})::bigint`.mapWith(BigInt),
      })
      .from(agentLedger)
      .where(eq(agentLedger.tenantId, actor.tenantId))
      .groupBy(agentLedger.agentId, agentLedger.kind),
    app.db
      .select({
        agentId: voucherLeases.agentId,
        faceMinor: sql<bigint>`sum(${voucherLeases.unitPriceMinor})::bigint`.mapWith(BigInt),
        count: sql<number>`count(*)::int`.mapWith(Number),
      })
      .from(vouchers)
      .innerJoin(voucherLeases, eq(voucherLeases.id, vouchers.leaseId))
      .where(
        and(
          eq(voucherLeases.tenantId, actor.tenantId),
          sql`${vouchers.leasedDeviceId} = ${voucherLeases.deviceId}`,
          sql`${vouchers.soldAt} is null and not ${vouchers.locked} and ${vouchers.status} <> 'void'`,
        ),
      )
      .groupBy(voucherLeases.agentId),
  ]);
  return people.map(({ agent, name, email }) => {
    const totals = summariseLedger(sums.filter((s) => s.agentId === agent.id));
    const unsold = stock.find((s) => s.agentId === agent.id);
    const unsoldFaceMinor = unsold?.faceMinor ?? 0n;
    return {
      agentId: agent.id,
      name,
      email,
      status: agent.status,
      currency: agent.currency,
      creditLimitMinor: agent.creditLimitMinor,
      ...totals,
      unsoldCount: unsold?.count ?? 0,
      unsoldFaceMinor,
      headroomMinor: leaseHeadroom({
        creditLimitMinor: agent.creditLimitMinor,
        outstandingMinor: totals.outstandingMinor,
        unsoldFaceMinor,
      }),
    };
  });
}

/** The agent's own screen: today's sales (in the tenant's time zone) and what they owe. */
export async function agentToday(app: AppContext, actor: Actor) {
  requirePermission(actor, 'sale.sync');
  const agent = await requireOwnAgent(app.db, actor);
  const rows = await app.db.execute(sql`
    with bounds as (
      select to_char(now() at time zone t.timezone, 'YYYY-MM-DD') as day,
             date_trunc('day', now() at time zone t.timezone) at time zone t.timezone as start
      from ${tenants} t where t.id = ${actor.tenantId}
    )
    select b.day,
      count(distinct l.sale_id)::int as sales,
      coalesce(sum(l.amount_minor) filter (where l.kind = 'sale'), 0)::bigint as face,
      coalesce(-sum(l.amount_minor) filter (where l.kind = 'commission'), 0)::bigint as commission
    from bounds b
    left join voucher_sales s on s.tenant_id = ${actor.tenantId} and s.agent_id = ${agent.id} and s.sold_at >= b.start
    left join agent_ledger l on l.sale_id = s.sale_id
    group by b.day`);
  const r = rows[0] ?? {};
  const [totals, exposure] = await Promise.all([
    ledgerTotals(app.db, actor.tenantId, agent.id),
    agentExposure(app.db, actor.tenantId, agent.id),
  ]);
  return {
    day: String(r.day ?? ''),
    currency: agent.currency,
    salesCount: Number(r.sales ?? 0),
    salesMinor: BigInt(String(r.face ?? 0)),
    commissionMinor: BigInt(String(r.commission ?? 0)),
    owedMinor: totals.outstandingMinor,
    unsoldCount: exposure.unsoldCount,
    unsoldFaceMinor: exposure.unsoldFaceMinor,
    headroomMinor: leaseHeadroom({ creditLimitMinor: agent.creditLimitMinor, ...exposure }),
  };
}
