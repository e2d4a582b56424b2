// Routers managed over the RouterOS API: register (credentials encrypted, never returned),
// probe (identity, version, resources, interfaces), and keep a health record current.
import { and, asc, eq, getTableColumns } from 'drizzle-orm';
import { forEachTenant, routers, SECRET_PURPOSE, writeAudit, type RouterHealth } from '@kasi/db';
import { invalid, isDomainError, notFound } from '@kasi/domain';
import { isRouterError } from '@kasi/routeros';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { withRouter, type RouterRowDb } from './router-connection.ts';
import { checkedRouterAddress } from './router-address.ts';

// Every column but the encrypted password: nothing that leaves this module carries it.
const { passwordEnc: _hidden, ...publicColumns } = getTableColumns(routers);

export interface NewRouter {
  name: string;
  host: string;
  port?: number | undefined;
  tls?: boolean | undefined;
  allowPlain?: boolean | undefined;
  caCert?: string | null | undefined;
  username: string;
  password: string;
}

export async function createRouter(app: AppContext, actor: Actor, input: NewRouter) {
  requirePermission(actor, 'router.write');
  const tls = input.tls ?? true;
  if (!tls && !input.allowPlain)
    throw invalid('ROUTER.PLAIN_NOT_ALLOWED', 'Use api-ssl, or explicitly allow the unencrypted API');
  await checkedRouterAddress(app.db, actor.tenantId, input.host);
  return app.db.transaction(async (tx) => {
    const passwordEnc = await app.keyring.encrypt(
      tx,
      actor.tenantId,
      SECRET_PURPOSE.routerPassword,
      input.password,
    );
    const [row] = await tx
      .insert(routers)
      .values({
        tenantId: actor.tenantId,
        name: input.name,
        host: input.host,
        port: input.port ?? (tls ? 8729 : 8728),
        tls,
        allowPlain: !tls && Boolean(input.allowPlain),
        caCert: input.caCert ?? null,
        username: input.username,
        passwordEnc,
      })
      .returning(publicColumns);
    if (!row) throw new Error('insert returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'router.create',
      entityType: 'router',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function listRouters(app: AppContext, actor: Actor) {
  requirePermission(actor, 'router.read');
  return app.db
    .select(publicColumns)
    .from(routers)
    .where(eq(routers.tenantId, actor.tenantId))
    .orderBy(asc(routers.name));
}

export async function loadRouter(app: AppContext, actor: Actor, id: string): Promise<RouterRowDb> {
  const [row] = await app.db
    .select()
    .from(routers)
    .where(and(eq(routers.tenantId, actor.tenantId), eq(routers.id, id)));
  if (!row) throw notFound('ROUTER.NOT_FOUND', 'No such router');
  return row;
}

/** Connects, reads what an operator wants to see, and records it as the router's health. */
export async function probeRouter(app: AppContext, router: RouterRowDb) {
  const checkedAt = new Date().toISOString();
  try {
    const info = await withRouter(app, router, async (c) => ({
      identity: await c.getIdentity(),
      resource: await c.getResource(),
      interfaces: await c.listInterfaces(),
    }));
    const health: RouterHealth = { reachable: true, checkedAt, ...info.resource };
    await app.db
      .update(routers)
      .set({ health, identity: info.identity, updatedAt: new Date() })
      .where(eq(routers.id, router.id));
    return { ok: true as const, ...info, health };
  } catch (e) {
    const failure = probeFailure(e);
    if (!failure) throw e;
    const health: RouterHealth = {
      reachable: false,
      checkedAt,
      error: `${failure.code}: ${failure.message}`,
    };
    await app.db.update(routers).set({ health }).where(eq(routers.id, router.id));
    return { ok: false as const, ...failure, health };
  }
}

function probeFailure(e: unknown): { code: string; message: string } | null {
  if (isRouterError(e)) return { code: e.code, message: e.message };
  // A refused address reads like an unreachable router (no connection was attempted).
  if (isDomainError(e) && e.code === 'ROUTER.ADDRESS_NOT_ALLOWED')
    return { code: e.code, message: e.message };
  return null;
}

/** Connects now and writes the health record: a change, so not for viewers. */
export async function testRouter(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'router.write');
  return probeRouter(app, await loadRouter(app, actor, id));
}

/** The health job: every router, a few at a time, never throwing. */
export async function pollAllRouters(app: AppContext, concurrency = 4): Promise<number> {
  // Tenant by tenant: routers are behind row-level security (ADR 0019).
  const counts = await forEachTenant(app.db, () => pollTenantRouters(app, concurrency));
  return counts.reduce((a, b) => a + b, 0);
}

async function pollTenantRouters(app: AppContext, concurrency: number): Promise<number> {
  const all = await app.db.select().from(routers);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const router = all[next++];
      if (router)
        await probeRouter(app, router).catch((err: unknown) =>
          app.log.error({ err, router: router.id }, 'router probe failed'),
        );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, all.length) }, worker));
  return all.length;
}

export interface RouterPatch {
  name?: string | undefined;
  port?: number | undefined;
  tls?: boolean | undefined;
  allowPlain?: boolean | undefined;
  caCert?: string | null | undefined;
  username?: string | undefined;
  /** A new API password; omitted keeps the stored one. */
  password?: string | undefined;
}

/** Fixes a router's connection details (a wrong port or password found by "Test connection"). */
export async function updateRouter(app: AppContext, actor: Actor, id: string, patch: RouterPatch) {
  requirePermission(actor, 'router.write');
  const before = await loadRouter(app, actor, id);
  const tls = patch.tls ?? before.tls;
  const allowPlain = patch.allowPlain ?? before.allowPlain;
  if (!tls && !allowPlain)
    throw invalid('ROUTER.PLAIN_NOT_ALLOWED', 'Use api-ssl, or explicitly allow the unencrypted API');
  return app.db.transaction(async (tx) => {
    const { password, ...rest } = patch;
    const passwordEnc = password
      ? await app.keyring.encrypt(tx, actor.tenantId, SECRET_PURPOSE.routerPassword, password)
      : undefined;
    const [row] = await tx
      .update(routers)
      .set({
        ...rest,
        tls,
        allowPlain: !tls && allowPlain,
        ...(passwordEnc && { passwordEnc }),
        updatedAt: new Date(),
      })
      .where(and(eq(routers.tenantId, actor.tenantId), eq(routers.id, id)))
      .returning(publicColumns);
    const { passwordEnc: _b, ...beforePublic } = before;
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'router.update',
      entityType: 'router',
      entityId: id,
      before: beforePublic,
      after: { ...row, passwordChanged: Boolean(password) },
    });
    return row;
  });
}

export async function deleteRouter(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'router.write');
  const before = await loadRouter(app, actor, id);
  await app.db.transaction(async (tx) => {
    await tx.delete(routers).where(and(eq(routers.tenantId, actor.tenantId), eq(routers.id, id)));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'router.delete',
      entityType: 'router',
      entityId: id,
      before: { name: before.name, host: before.host },
    });
  });
}
