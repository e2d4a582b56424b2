// A tenant's gateway as an adapter instance: its sealed settings opened in memory only.
// Nothing here logs or returns a secret. An opened gateway is kept per process while its sealed
// row is unchanged: every webhook delivery used to decrypt the settings twice and build a new
// client (about 6 ms of CPU per delivery), and a new client also forgets its cached OAuth token
// (Daraja's lasts an hour), so every M-Pesa call fetched a token first.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { paymentGateways, withTenantLookup, type Executor, type GatewayKind } from '@kasi/db';
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
  sealedConfig: string;
  sealedHookToken: string;
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

const endpointKeys = new WeakMap<PaymentDeps['endpoints'], string>();
/** Which providers' addresses (and fetch) an adapter is built on; made once per endpoints object. */
function endpointsKey(deps: PaymentDeps): string {
  const e = deps.endpoints;
  let key = endpointKeys.get(e);
  if (key === undefined) {
    key = `${e.stripe}:${e.mpesa.sandbox}:${e.paypal.sandbox}:${fetchKey(deps)}`;
    endpointKeys.set(e, key);
  }
  return key;
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
  const cache = openedCache(deps);
  const key = `${tenantId}:${name}:${endpointsKey(deps)}`;
  const hit = cache.get(key);
  // Saving settings seals them again (a fresh nonce), so a changed row never matches.
  if (hit?.sealedConfig === row.sealedConfig && hit.sealedHookToken === row.sealedHookToken)
    return { row, settings: hit.settings, gateway: hit.gateway, hookToken: hit.hookToken };
  const opened = await openSealed(deps, db, tenantId, row);
  cache.delete(key);
  if (cache.size >= MAX_OPENED) cache.delete(cache.keys().next().value as string);
  cache.set(key, { sealedConfig: row.sealedConfig, sealedHookToken: row.sealedHookToken, ...opened });
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
/**
 * In a remembered row's last stretch, the first delivery to use it reads it again in the
 * background (and is answered from memory): a token in steady use never expires under load.
 * When it expired, every delivery arriving during the read missed at once — at 2,000/s about
 * a hundred lookups in 180 ms, each a transaction, every five seconds: the tail of
 * `bench:payments` (p99 169–317 ms in that half-second).
 */
export const HOOK_ROW_REFRESH_MS = 1_000;
const hookRowsByApp = new WeakMap<object, Map<string, { row: GatewayRow; until: number }>>();
/** Reads under way, per token hash: deliveries that miss together share one. */
const hookLookupsByApp = new WeakMap<object, Map<string, Promise<GatewayRow | null>>>();

/**
 * `gatewayByHookToken`, remembered for `HOOK_ROW_TTL_MS`; unknown tokens are never remembered.
 * At most one read per token at a time.
 */
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
  if (hit && hit.until > now) {
    if (hit.until - now <= HOOK_ROW_REFRESH_MS) {
      // A failed refresh leaves the row to expire; the next miss reads (and reports) again.
      lookupHookRow(app, rows, db, token, hash, now).catch(() => undefined);
    }
    return hit.row;
  }
  return lookupHookRow(app, rows, db, token, hash, now);
}

function lookupHookRow(
  app: object,
  rows: Map<string, { row: GatewayRow; until: number }>,
  db: Executor,
  token: string,
  hash: string,
  now: number,
): Promise<GatewayRow | null> {
  let lookups = hookLookupsByApp.get(app);
  if (!lookups) hookLookupsByApp.set(app, (lookups = new Map()));
  const pending = lookups.get(hash);
  if (pending) return pending;
  const forThisApp = lookups;
  // Its own lookup scope: the request that started it goes on to act for the tenant it finds.
  const read = withTenantLookup(() => gatewayByHookToken(db, token))
    .then((row) => {
      rows.delete(hash);
      if (row) {
        if (rows.size >= MAX_OPENED) rows.delete(rows.keys().next().value as string);
        rows.set(hash, { row, until: now + HOOK_ROW_TTL_MS });
      }
      return row;
    })
    .finally(() => {
      if (forThisApp.get(hash) === read) forThisApp.delete(hash);
    });
  lookups.set(hash, read);
  return read;
}

/** After a gateway's settings change in this process: webhooks read the row again. */
export function forgetGatewayRows(app: object): void {
  hookRowsByApp.delete(app);
  // A read begun before the change may bring the old row: later deliveries do not wait for it.
  hookLookupsByApp.delete(app);
}
