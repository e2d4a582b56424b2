// Pay links `/p/<token>`: 128 random bits, only the SHA-256 kept. A link pays one invoice,
// whatever the subscriber owes when it is opened, or buys one voucher code of a plan ("buy
// plan X", plan-purchase.ts; spent once a payment on it succeeded).
// An unknown, revoked or spent link looks the same as an expired one (no oracle).
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import {
  invoices,
  payLinks,
  paymentAttempts,
  plans,
  subscribers,
  tenants,
  writeAudit,
  type Executor,
} from '@kasi/db';
import { conflict, notFound } from '@kasi/domain';
import { z } from 'zod';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { balanceOf } from '../billing/ledger.ts';
import { hashToken } from './gateway-factory.ts';
import { publicBase, type PaymentDeps } from './payment-deps.ts';
import { payLanguage, type PayLanguage } from './pay-page.text.ts';

export const PAY_PATH = '/p/';
export const payLinkInput = z.object({
  subscriberId: z.uuid(),
  invoiceId: z.uuid().nullable().default(null),
});

export const payLinkUrl = (deps: Pick<PaymentDeps, 'publicUrl'>, token: string) =>
  `${publicBase(deps)}${PAY_PATH}${token}`;

export async function createPayLink(deps: PaymentDeps, actor: Actor, input: z.input<typeof payLinkInput>) {
  requirePermission(actor, 'billing.write');
  const v = payLinkInput.parse(input);
  return deps.app.db.transaction(async (tx) => {
    const [sub] = await tx
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, v.subscriberId)));
    if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
    if (v.invoiceId) {
      const [inv] = await tx
        .select({ status: invoices.status, kind: invoices.kind })
        .from(invoices)
        .where(
          and(
            eq(invoices.tenantId, actor.tenantId),
            eq(invoices.id, v.invoiceId),
            eq(invoices.subscriberId, v.subscriberId),
          ),
        );
      if (!inv || inv.kind !== 'invoice') throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
      if (inv.status === 'draft' || inv.status === 'void') {
        throw conflict('PAYLINK.INVOICE_NOT_OPEN', 'Only a finalised, unvoided invoice can be paid by link', {
          field: 'invoiceId',
        });
      }
    }
    return issuePayLink(deps, tx, actor, v);
  });
}

/**
 * A new link in `tx` (audited as `actor`); its URL carries the token, shown once: to the
 * operator who asked for it, or in the SMS billing sends (reminder, suspension).
 */
export async function issuePayLink(
  deps: Pick<PaymentDeps, 'publicUrl'>,
  tx: Executor,
  actor: Actor,
  v: { subscriberId: string; invoiceId: string | null },
) {
  const token = randomBytes(16).toString('base64url');
  const [row] = await tx
    .insert(payLinks)
    .values({
      tenantId: actor.tenantId,
      tokenHash: hashToken(token),
      kind: v.invoiceId ? 'invoice' : 'balance',
      subscriberId: v.subscriberId,
      invoiceId: v.invoiceId,
      createdBy: actor.userId,
    })
    .returning({ id: payLinks.id });
  await writeAudit(tx, {
    ...auditActor(actor),
    action: 'payment.link.create',
    entityType: 'pay_link',
    entityId: row!.id,
    after: { subscriberId: v.subscriberId, invoiceId: v.invoiceId },
  });
  // The token is shown once, here; only its hash is stored.
  return { id: row!.id, url: payLinkUrl(deps, token) };
}

export interface OpenLink {
  id: string;
  tenantId: string;
  /** Null for a "buy plan" link (then `planId` is set). */
  subscriberId: string | null;
  invoiceId: string | null;
  planId: string | null;
  brand: string;
  currency: string;
  /** The page's language: the tenant's, as on its hotspot pages (pay-page.text.ts); else English. */
  language?: PayLanguage;
  /** The M-Pesa account reference: the subscriber's username, or the plan's name. */
  username: string;
  /** What this link would charge now, and what for. */
  dueMinor: bigint;
  label: string;
}

/** The link behind a token, with what is owed now; null for anything not payable (no oracle). */
export async function openPayLink(db: Executor, token: string): Promise<OpenLink | null> {
  if (!/^[\w-]{16,64}$/.test(token)) return null;
  const [link] = await db
    .select({
      link: payLinks,
      brand: tenants.name,
      currency: tenants.currency,
      locale: tenants.locale,
      username: subscribers.username,
    })
    .from(payLinks)
    .innerJoin(tenants, eq(tenants.id, payLinks.tenantId))
    .leftJoin(subscribers, eq(subscribers.id, payLinks.subscriberId))
    .where(and(eq(payLinks.tokenHash, hashToken(token)), isNull(payLinks.revokedAt)));
  if (!link) return null;
  const base = {
    id: link.link.id,
    tenantId: link.link.tenantId,
    subscriberId: link.link.subscriberId,
    invoiceId: link.link.invoiceId,
    planId: link.link.planId,
    brand: link.brand,
    currency: link.currency,
    language: payLanguage(link.locale),
    username: link.username ?? '',
  };
  if (link.link.planId) {
    const [plan] = await db
      .select()
      .from(plans)
      .where(and(eq(plans.tenantId, base.tenantId), eq(plans.id, link.link.planId)));
    if (!plan) return null;
    // One code per link: once a payment on it succeeded there is nothing more to pay.
    const [paid] = await db
      .select({ id: paymentAttempts.id })
      .from(paymentAttempts)
      .where(
        and(
          eq(paymentAttempts.tenantId, base.tenantId),
          eq(paymentAttempts.payLinkId, base.id),
          eq(paymentAttempts.status, 'succeeded'),
        ),
      )
      .limit(1);
    const sellable = plan.active && !plan.archivedAt;
    return {
      ...base,
      // The link may name the subscriber who bought on /my; the attempt buys a code, not for an account.
      subscriberId: null,
      currency: plan.currency,
      username: plan.name.replace(/[^\w-]/g, '').slice(0, 12) || 'VOUCHER',
      dueMinor: paid || !sellable ? 0n : plan.priceMinor,
      label: `Internet: ${plan.name}`,
    };
  }
  if (!base.subscriberId) return null;
  const subscriberId = base.subscriberId;
  if (link.link.invoiceId) {
    const [inv] = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, base.tenantId), eq(invoices.id, link.link.invoiceId)));
    if (!inv || inv.status === 'void' || inv.status === 'draft') return null;
    return {
      ...base,
      dueMinor: inv.totalMinor - inv.allocatedMinor,
      label: `Invoice ${inv.displayNumber ?? ''}`.trim(),
    };
  }
  const owed = await balanceOf(db, base.tenantId, subscriberId);
  return { ...base, dueMinor: owed > 0n ? owed : 0n, label: `Account ${link.username}` };
}
