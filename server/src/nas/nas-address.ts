// Who may learn that a NAS address is taken. Addresses are unique across tenants (radiusd
// tells tenants apart by a packet's source address), so a taken address must be refused;
// only the tenant that holds it is told so. Anyone else gets the answer an address that can
// never be a router gets, with nothing about the holder, and the attempt is logged for support.
import { eq } from 'drizzle-orm';
import { nas, type Executor } from '@kasi/db';
import { classifyAddress, conflict, parseIp, type DomainError } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';

export function addressUnavailable(address: string): DomainError {
  return conflict(
    'NAS.ADDRESS_UNAVAILABLE',
    `${address} cannot be registered as a router. If this router is yours, contact support.`,
  );
}

/** Unspecified, multicast and reserved addresses never send RADIUS: refused like a taken one. */
export function isUnusableNasAddress(address: string): boolean {
  const ip = parseIp(address);
  const kind = ip ? classifyAddress(ip).class : 'reserved';
  return kind === 'unspecified' || kind === 'multicast' || kind === 'reserved';
}

/** The error for `address` held by `holderTenantId`, as `actor` may see it. */
export function addressTaken(
  app: AppContext,
  actor: Actor,
  address: string,
  holderTenantId: string,
): DomainError {
  if (holderTenantId === actor.tenantId)
    return conflict('NAS.ADDRESS_TAKEN', `You already have a router at ${address}`);
  app.log.warn({ tenantId: actor.tenantId, holderTenantId, address }, 'NAS address held by another tenant');
  return addressUnavailable(address);
}

export async function addressHolder(db: Executor, address: string): Promise<string | null> {
  const [row] = await db.select({ tenantId: nas.tenantId }).from(nas).where(eq(nas.address, address));
  return row?.tenantId ?? null;
}
