// Opens a RouterOS API session for a stored router: decrypts the credentials just in time
// (they never leave this function) and applies the router's TLS settings.
import { connectRouter, type RouterClient } from '@kasi/routeros';
import type { routers } from '@kasi/db';
import { SECRET_PURPOSE } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { checkedRouterAddress } from './router-address.ts';

export type RouterRowDb = typeof routers.$inferSelect;

export const ROUTER_TIMEOUT_MS = 5_000;

export async function openRouter(app: AppContext, router: RouterRowDb): Promise<RouterClient> {
  // Checked before the password is even decrypted; the connect goes to the checked address
  // (TLS still verifies the certificate against the stored host).
  const address = await checkedRouterAddress(app.db, router.tenantId, router.host);
  const password = await app.keyring.decrypt(
    app.db,
    router.tenantId,
    SECRET_PURPOSE.routerPassword,
    router.passwordEnc,
  );
  return connectRouter({
    host: address,
    port: router.port,
    tls: router.tls ? { ...(router.caCert ? { ca: router.caCert } : {}), servername: router.host } : false,
    allowPlain: router.allowPlain,
    username: router.username,
    password,
    timeoutMs: ROUTER_TIMEOUT_MS,
    reconnect: { attemptsPerCall: 2 },
    log: (event) => app.log[event.level]({ ...event }, event.event),
  });
}

/** Runs `fn` with a connected client and always closes it. */
export async function withRouter<T>(
  app: AppContext,
  router: RouterRowDb,
  fn: (client: RouterClient) => Promise<T>,
): Promise<T> {
  const client = await openRouter(app, router);
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}
