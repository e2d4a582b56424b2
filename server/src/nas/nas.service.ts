// NAS (RADIUS clients): the shared secret is encrypted at rest and never returned.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { and, asc, eq, sql } from 'drizzle-orm';
import { nas, SECRET_PURPOSE, violatedConstraint, writeAudit } from '@kasi/db';
import { conflict, invalid, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { addressHolder, addressTaken, addressUnavailable, isUnusableNasAddress } from './nas-address.ts';

export interface NewNas {
  name: string;
  address: string;
  /** Omit to have a strong secret generated (it is returned once). */
  secret?: string | undefined;
  requireMessageAuthenticator?: boolean | undefined;
  /** Where the router listens for Disconnect/CoA (`/radius incoming`), default 3799. */
  coaPort?: number | undefined;
}

const publicColumns = {
  id: nas.id,
  name: nas.name,
  address: nas.address,
  requireMessageAuthenticator: nas.requireMessageAuthenticator,
  coaPort: nas.coaPort,
  createdAt: nas.createdAt,
};

export async function createNas(app: AppContext, actor: Actor, input: NewNas) {
  requirePermission(actor, 'nas.write');
  if (!isIP(input.address)) throw invalid('NAS.BAD_ADDRESS', `"${input.address}" is not an IP address`);
  if (isUnusableNasAddress(input.address)) throw addressUnavailable(input.address);
  const secret = input.secret ?? randomBytes(18).toString('base64url');
  if (secret.length < 8) throw invalid('NAS.WEAK_SECRET', 'Shared secrets need at least 8 characters');
  const created = app.db.transaction(async (tx) => {
    const holder = await addressHolder(tx, input.address);
    if (holder) throw addressTaken(app, actor, input.address, holder);
    const secretEnc = await app.keyring.encrypt(tx, actor.tenantId, SECRET_PURPOSE.nasSecret, secret);
    const [row] = await tx
      .insert(nas)
      .values({
        tenantId: actor.tenantId,
        name: input.name,
        address: input.address,
        secretEnc,
        requireMessageAuthenticator: input.requireMessageAuthenticator ?? true,
        coaPort: input.coaPort ?? 3799,
      })
      .returning(publicColumns);
    if (!row) throw new Error('insert returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'nas.create',
      entityType: 'nas',
      entityId: row.id,
      after: row,
    });
    await tx.execute(sql`select pg_notify('kasi_nas', ${row.id})`);
    return { nas: row, secret: input.secret ? null : secret };
  });
  return created.catch(async (e: unknown) => {
    const constraint = violatedConstraint(e);
    if (constraint === 'nas_tenant_name')
      throw conflict('NAS.NAME_TAKEN', `A router named "${input.name}" already exists`);
    if (constraint === 'nas_address') {
      // Registered by someone else between the check and the insert.
      const holder = await addressHolder(app.db, input.address);
      throw holder ? addressTaken(app, actor, input.address, holder) : addressUnavailable(input.address);
    }
    throw e;
  });
}

export async function listNas(app: AppContext, actor: Actor) {
  requirePermission(actor, 'nas.read');
  return app.db
    .select(publicColumns)
    .from(nas)
    .where(eq(nas.tenantId, actor.tenantId))
    .orderBy(asc(nas.name));
}

export async function deleteNas(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'nas.write');
  await app.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(nas)
      .where(and(eq(nas.tenantId, actor.tenantId), eq(nas.id, id)))
      .returning(publicColumns);
    if (!row) throw notFound('NAS.NOT_FOUND', 'No such router');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'nas.delete',
      entityType: 'nas',
      entityId: id,
      before: row,
    });
    await tx.execute(sql`select pg_notify('kasi_nas', ${id})`);
  });
}
