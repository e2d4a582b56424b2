// A tenant's gateway as an adapter instance: its sealed settings opened in memory only.
// Nothing here logs or returns a secret. An opened gateway is kept per process while its sealed
// row is unchanged: every webhook delivery used to decrypt the settings twice and build a new
// client (about 6 ms of CPU per delivery), and a new client also forgets its cached OAuth token
// (Daraja's lasts an hour), so every M-Pesa call fetched a token first.
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

interface Opened {
  sealed: string;
  settings: GatewaySettings;
  gateway: PaymentGateway;
  hookToken: string;
}

/** Opened gateways per app (a test process runs several), bounded: oldest dropped first. */
const openedByApp = new WeakMap<object, Map<string, Opened>>();
const MAX_OPENED = 500;

const fetchIds = new WeakMap<object, number>();
let nextFetchId = 1;
/** Tests hand each world its own fetch: adapters built on another world's fetch are not reused. */
function fetchKey(deps: PaymentDeps): number {
  const f = deps.endpoints.fetch;
  if (!f) return 0;
  let id = fetchIds.get(f);
  if (id === undefined) fetchIds.set(f, (id = nextFetchId++));
  return id;
}

function openedCache(deps: PaymentDeps): Map<string, Opened> {
  let cache = openedByApp.get(deps.app);
  if (!cache) openedByApp.set(deps.app, (cache = new Map()));
  return cache;
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
  return openGatewayRow(deps, db, tenantId, row);
}

/** `openGateway` for a settings row already read (a webhook's token lookup reads the whole row). */
export async function openGatewayRow(
  deps: PaymentDeps,
  db: Executor,
  tenantId: string,
  row: typeof paymentGateways.$inferSelect,
): Promise<TenantGateway> {
  const name = row.gateway;
  // Saving settings seals them again (a fresh nonce), so a changed row never matches.
  const sealed = `${row.sealedConfig}\n${row.sealedHookToken}`;
  const cache = openedCache(deps);
  const key = `${tenantId}:${name}:${deps.endpoints.stripe}:${deps.endpoints.mpesa.sandbox}:${deps.endpoints.paypal.sandbox}:${fetchKey(deps)}`;
  const hit = cache.get(key);
  if (hit?.sealed === sealed)
    return { row, settings: hit.settings, gateway: hit.gateway, hookToken: hit.hookToken };
  const opened = await openSealed(deps, db, tenantId, row);
  cache.delete(key);
  if (cache.size >= MAX_OPENED) cache.delete(cache.keys().next().value as string);
  cache.set(key, { sealed, ...opened });
  return { row, ...opened };
}

async function openSealed(
  deps: PaymentDeps,
  db: Executor,
  tenantId: string,
  row: typeof paymentGateways.$inferSelect,
): Promise<Omit<TenantGateway, 'row'>> {
  const { keyring } = deps.app;
  // Parsed again so settings saved before a field existed get its default.
  const settings = gatewaySettingsInput.parse(
    JSON.parse(await keyring.decrypt(db, tenantId, SEAL_PURPOSE.config, row.sealedConfig)),
  );
  const hookToken = await keyring.decrypt(db, tenantId, SEAL_PURPOSE.hookToken, row.sealedHookToken);
  return { settings, gateway: gatewayFor(deps, settings), hookToken };
}

/** The settings row a webhook token names (the whole row: the route opens it without a second read). */
export async function gatewayByHookToken(db: Executor, token: string) {
  const [row] = await db
    .select()
    .from(paymentGateways)
    .where(eq(paymentGateways.hookTokenHash, hashToken(token)));
  return row ?? null;
}

type GatewayRow = typeof paymentGateways.$inferSelect;

/**
 * How long a process answers a webhook token from memory. At a few thousand deliveries a
 * second the token lookup was a transaction of its own per delivery (a third of the server's
 * CPU in `bench:payments`). A change saved in this process forgets at once
 * (`forgetGatewayRows`); another process sees it within this time.
 */
export const HOOK_ROW_TTL_MS = 5_000;
const hookRowsByApp = new WeakMap<object, Map<string, { row: GatewayRow; until: number }>>();

/** `gatewayByHookToken`, remembered for `HOOK_ROW_TTL_MS`; unknown tokens are never remembered. */
export async function gatewayByHookTokenCached(
  app: object,
  db: Executor,
  token: string,
  now = Date.now(),
): Promise<GatewayRow | null> {
  let rows = hookRowsByApp.get(app);
  if (!rows) hookRowsByApp.set(app, (rows = new Map()));
  const hash = hashToken(token);
  const hit = rows.get(hash);
  if (hit && hit.until > now) return hit.row;
  const row = await gatewayByHookToken(db, token);
  rows.delete(hash);
  if (!row) return null;
  if (rows.size >= MAX_OPENED) rows.delete(rows.keys().next().value as string);
  rows.set(hash, { row, until: now + HOOK_ROW_TTL_MS });
  return row;
}

/** After a gateway's settings change in this process: webhooks read the row again. */
export function forgetGatewayRows(app: object): void {
  hookRowsByApp.delete(app);
}
