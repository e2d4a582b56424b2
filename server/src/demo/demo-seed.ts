// First run: a demo tenant, an admin, plans, a router entry for the local RADIUS
// client and a voucher batch, so a new user sees a working Kasi at once.
import { randomBytes } from 'node:crypto';
import { count } from 'drizzle-orm';
import { actForTenant, tenants } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { addMember, createTenant } from '../tenants/tenant.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createNas } from '../nas/nas.service.ts';
import { createVoucherBatch, holdTestCode } from '../vouchers/voucher.service.ts';
import { setRouterAllowedCidrs } from '../routers/router-allowed-cidrs.service.ts';

/**
 * Any ordinary address (as the default rule) plus the demo's emulated MikroTik on 127.0.0.1,
 * which the default rule refuses as loopback.
 */
export const DEMO_ROUTER_CIDRS = ['0.0.0.0/0', '::/0', '127.0.0.1/32'];

export interface DemoCredentials {
  email: string;
  password: string;
  nasAddress: string;
  nasSecret: string;
  /** Held for tests (channel 'held'), never sold. */
  testCode: string;
}

export async function isEmpty(app: AppContext): Promise<boolean> {
  const [row] = await app.db.select({ n: count() }).from(tenants);
  return (row?.n ?? 0) === 0;
}

export async function seedDemo(app: AppContext): Promise<DemoCredentials> {
  const password = randomBytes(9).toString('base64url');
  const email = 'admin@demo.kasi';
  const { tenant, user } = await app.db.transaction(async (tx) => {
    const tenant = await createTenant(tx, { name: 'Demo WISP', slug: 'demo', currency: 'KES' }, 'first-run');
    const user = await addMember(
      tx,
      { tenantId: tenant.id, email, name: 'Demo Admin', password, role: 'owner' },
      'first-run',
    );
    return { tenant, user };
  });
  // The run command calls this inside withTenantLookup: the demo's rows are the demo tenant's.
  actForTenant(tenant.id, user.id);
  const actor: Actor = {
    tenantId: tenant.id,
    userId: user.id,
    label: 'first-run',
    role: 'owner',
    requestId: null,
  };
  const hour = await createPlan(app, actor, {
    name: '1 hour · 5 Mbps',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3600,
    priceMinor: 2000n,
    currency: 'KES',
  });
  await createPlan(app, actor, {
    name: '1 day · 10 Mbps',
    downloadBps: 10_000_000,
    uploadBps: 2_000_000,
    burst: {
      downloadBps: 20_000_000,
      uploadBps: 4_000_000,
      thresholdDownloadBps: 8_000_000,
      thresholdUploadBps: 1_500_000,
      timeSeconds: 16,
    },
    validitySeconds: 86_400,
    priceMinor: 10000n,
    currency: 'KES',
  });
  await createPlan(app, actor, {
    name: '7 days · 5 GB',
    downloadBps: 8_000_000,
    uploadBps: 2_000_000,
    validitySeconds: 7 * 86_400,
    dataQuotaBytes: 5n * 1024n ** 3n,
    sharedUsers: 2,
    priceMinor: 50000n,
    currency: 'KES',
  });
  await setRouterAllowedCidrs(app, { ...actor, userId: null }, DEMO_ROUTER_CIDRS);
  const { secret } = await createNas(app, actor, { name: 'Local test client', address: '127.0.0.1' });
  const batch = await createVoucherBatch(app, actor, {
    planId: hour.id,
    quantity: 20,
    name: 'Demo hour vouchers',
  });
  // The code the first-run banner offers for radclient is held for tests: no print run or
  // agent lease can hand it to a customer, and its logins are not counted as sales.
  const test = await holdTestCode(app, actor, batch.id);
  return {
    email,
    password,
    nasAddress: '127.0.0.1',
    nasSecret: secret ?? '',
    testCode: test.code,
  };
}
