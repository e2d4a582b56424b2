// Checks a router's host against its tenant's address rule (@kasi/domain router-address):
// when the router is saved, and again before every connect, because a host name may resolve
// elsewhere later (DNS rebinding) and the tenant's ranges or this server's addresses change.
// Every address the name resolves to must pass; the connect then goes to the checked address.
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { eq } from 'drizzle-orm';
import { tenants, type Executor } from '@kasi/db';
import {
  parseAllowedCidrs,
  parseIp,
  routerAddressNotAllowed,
  routerAddressRefusal,
  type IpAddress,
  type RouterAddressRule,
} from '@kasi/domain';
import { RouterError } from '@kasi/routeros';

function ownAddresses(): IpAddress[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => parseIp(i.address))
    .filter((a): a is IpAddress => a !== null);
}

export async function routerAddressRule(db: Executor, tenantId: string): Promise<RouterAddressRule> {
  const [t] = await db
    .select({ cidrs: tenants.routerAllowedCidrs })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return { allowed: parseAllowedCidrs(t?.cidrs ?? []), own: ownAddresses() };
}

async function resolve(host: string): Promise<string[]> {
  if (parseIp(host)) return [host];
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (e) {
    throw new RouterError('ROUTER.UNREACHABLE', `${host} does not resolve`, { cause: e });
  }
}

/** The address to connect to for `host`, or a typed ROUTER.ADDRESS_NOT_ALLOWED error. */
export async function checkedRouterAddress(db: Executor, tenantId: string, host: string): Promise<string> {
  const rule = await routerAddressRule(db, tenantId);
  const addresses = await resolve(host);
  for (const address of addresses) {
    const ip = parseIp(address);
    const refusal = ip ? routerAddressRefusal(ip, rule) : 'reserved';
    if (refusal) throw routerAddressNotAllowed(host, address, refusal);
  }
  const [first] = addresses;
  if (!first) throw new RouterError('ROUTER.UNREACHABLE', `${host} does not resolve`);
  return first;
}
