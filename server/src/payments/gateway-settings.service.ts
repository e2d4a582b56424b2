// An operator's payment gateways: credentials sealed under the tenant key (never returned or
// logged; the audit row says which gateway changed, not what to), on/off, a "test connection"
// call, and the webhook URLs to paste into the provider's portal.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { paymentGateways, writeAudit } from '@kasi/db';
import { can, isDomainError } from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { forgetGatewayRows, hashToken, openGateway, SEAL_PURPOSE } from './gateway-factory.ts';
import {
  gatewayRefInput,
  gatewaySettingsInput,
  gatewayToggleInput,
  type GatewaySettingsInput,
} from './gateway-settings.input.ts';
import { publicBase, type PaymentDeps } from './payment-deps.ts';
import { webhookUrls } from './webhook-urls.ts';

export async function setGateway(deps: PaymentDeps, actor: Actor, input: GatewaySettingsInput) {
  requirePermission(actor, 'tenant.manage');
  const v = gatewaySettingsInput.parse(input);
  const { keyring } = deps.app;
  const saved = await deps.app.db.transaction(async (tx) => {
    const sealedConfig = await keyring.encrypt(tx, actor.tenantId, SEAL_PURPOSE.config, JSON.stringify(v));
    const [existing] = await tx
      .select({ id: paymentGateways.id })
      .from(paymentGateways)
      .where(and(eq(paymentGateways.tenantId, actor.tenantId), eq(paymentGateways.gateway, v.gateway)));
    if (existing) {
      await tx
        .update(paymentGateways)
        .set({ sealedConfig, lastTestedAt: null, lastTestOk: null, updatedAt: new Date() })
        .where(eq(paymentGateways.id, existing.id));
    } else {
      // The secret path segment of this tenant's webhook URLs: 128 random bits.
      const token = randomBytes(16).toString('base64url');
      await tx.insert(paymentGateways).values({
        tenantId: actor.tenantId,
        gateway: v.gateway,
        sealedConfig,
        hookTokenHash: hashToken(token),
        sealedHookToken: await keyring.encrypt(tx, actor.tenantId, SEAL_PURPOSE.hookToken, token),
      });
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'payment.gateway.set',
      entityType: 'payment_gateway',
      entityId: v.gateway,
      after: { gateway: v.gateway, credentials: 'changed' },
    });
    return { gateway: v.gateway };
  });
  forgetGatewayRows(deps.app);
  return saved;
}

export async function setGatewayEnabled(
  deps: PaymentDeps,
  actor: Actor,
  input: { gateway: string; enabled: boolean },
) {
  requirePermission(actor, 'tenant.manage');
  const v = gatewayToggleInput.parse(input);
  const saved = await deps.app.db.transaction(async (tx) => {
    const [row] = await tx
      .update(paymentGateways)
      .set({ enabled: v.enabled, updatedAt: new Date() })
      .where(and(eq(paymentGateways.tenantId, actor.tenantId), eq(paymentGateways.gateway, v.gateway)))
      .returning({ id: paymentGateways.id });
    if (!row) await openGateway(deps, tx, actor.tenantId, v.gateway); // throws the typed not-found
    await writeAudit(tx, {
      ...auditActor(actor),
      action: v.enabled ? 'payment.gateway.enable' : 'payment.gateway.disable',
      entityType: 'payment_gateway',
      entityId: v.gateway,
    });
    return v;
  });
  forgetGatewayRows(deps.app);
  return saved;
}

/** Proves the stored credentials work; the outcome is kept and audited, never the secret. */
export async function testGateway(deps: PaymentDeps, actor: Actor, input: { gateway: string }) {
  requirePermission(actor, 'tenant.manage');
  const v = gatewayRefInput.parse(input);
  const { db } = deps.app;
  const tg = await openGateway(deps, db, actor.tenantId, v.gateway);
  let ok = true;
  let message = 'Connected';
  try {
    await tg.gateway.testConnection();
  } catch (e) {
    if (!isDomainError(e)) throw e;
    ok = false;
    message = e.message;
  }
  await db.transaction(async (tx) => {
    await tx
      .update(paymentGateways)
      .set({ lastTestedAt: new Date(), lastTestOk: ok })
      .where(eq(paymentGateways.id, tg.row.id));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'payment.gateway.test',
      entityType: 'payment_gateway',
      entityId: v.gateway,
      after: { ok },
    });
  });
  return { ok, message };
}

/** What the console shows: never a credential; the webhook URLs (they hold the path secret) to managers only. */
export async function listGateways(deps: PaymentDeps, actor: Actor) {
  requirePermission(actor, 'billing.read');
  const { db } = deps.app;
  const rows = await db.select().from(paymentGateways).where(eq(paymentGateways.tenantId, actor.tenantId));
  return Promise.all(
    rows.map(async (r) => {
      const tg = await openGateway(deps, db, actor.tenantId, r.gateway);
      return {
        gateway: r.gateway,
        enabled: r.enabled,
        lastTestedAt: r.lastTestedAt,
        lastTestOk: r.lastTestOk,
        environment: tg.settings.gateway === 'stripe' ? null : tg.settings.environment,
        webhookUrls: can(actor.role, 'tenant.manage')
          ? webhookUrls(publicBase(deps), r.gateway, tg.hookToken)
          : null,
      };
    }),
  );
}
