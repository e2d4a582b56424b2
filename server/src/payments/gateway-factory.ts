// A tenant's gateway as an adapter instance: its sealed settings opened in memory only, for
// the call at hand. Nothing here logs or returns a secret.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { paymentGateways, type Executor, type GatewayKind } from '@kasi/db';
import { notFound } from '@kasi/domain';
import { MpesaGateway, PaypalGateway, StripeGateway, type PaymentGateway } from '@kasi/payments';
import { gatewaySettingsInput, type GatewaySettings } from './gateway-settings.input.ts';
import type { PaymentDeps } from './payment-deps.ts';

export const SEAL_PURPOSE = { config: 'payment.gateway', hookToken: 'payment.hook_token' } as const;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function gatewayFor(deps: PaymentDeps, settings: GatewaySettings): PaymentGateway {
  const fetch = deps.endpoints.fetch;
  if (settings.gateway === 'mpesa') {
    return new MpesaGateway(settings.config, {
      baseUrl: deps.endpoints.mpesa[settings.environment],
      ...(fetch && { fetch }),
    });
  }
  if (settings.gateway === 'paypal') {
    return new PaypalGateway(settings.config, {
      baseUrl: deps.endpoints.paypal[settings.environment],
      ...(fetch && { fetch }),
    });
  }
  return new StripeGateway(settings.config, { baseUrl: deps.endpoints.stripe, ...(fetch && { fetch }) });
}

export interface TenantGateway {
  row: typeof paymentGateways.$inferSelect;
  settings: GatewaySettings;
  gateway: PaymentGateway;
  hookToken: string;
}

export async function openGateway(
  deps: PaymentDeps,
  db: Executor,
  tenantId: string,
  name: GatewayKind,
): Promise<TenantGateway> {
  const [row] = await db
    .select()
    .from(paymentGateways)
    .where(and(eq(paymentGateways.tenantId, tenantId), eq(paymentGateways.gateway, name)));
  if (!row) throw notFound('PAYMENT.GATEWAY_NOT_SET', `No ${name} settings for this operator`);
  const { keyring } = deps.app;
  // Parsed again so settings saved before a field existed get its default.
  const settings = gatewaySettingsInput.parse(
    JSON.parse(await keyring.decrypt(db, tenantId, SEAL_PURPOSE.config, row.sealedConfig)),
  );
  const hookToken = await keyring.decrypt(db, tenantId, SEAL_PURPOSE.hookToken, row.sealedHookToken);
  return { row, settings, gateway: gatewayFor(deps, settings), hookToken };
}

/** The gateway row a webhook path token belongs to (the token is the tenant's secret). */
export async function gatewayByHookToken(db: Executor, token: string) {
  const [row] = await db
    .select({ tenantId: paymentGateways.tenantId, gateway: paymentGateways.gateway })
    .from(paymentGateways)
    .where(eq(paymentGateways.hookTokenHash, hashToken(token)));
  return row ?? null;
}
