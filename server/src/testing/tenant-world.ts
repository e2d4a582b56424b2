// A tenant with one of everything, made through the real services: plan, batch and codes,
// NAS, subscriber, a router on the RouterOS emulator with a change plan, an agent with an
// approved device, a lease, a synced sale, a sync conflict, a cash handover, a print run, an
// open RADIUS session, and invoices, a payment, a credit note and a write-off. The cross-tenant test aims every procedure at it from another tenant.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { authSessions, radiusSessions, syncConflicts, userPasskeys } from '@kasi/db';
import { uuidv7 } from '@kasi/domain';
import { startRouterOsSim, type RouterOsSim } from '@kasi/routeros-sim';
import type { Actor } from '../app-context.ts';
import { newDeviceKeys, signOp } from '../agents/agent.testing.ts';
import { createAgent } from '../agents/agent.service.ts';
import { approveDevice, registerDevice } from '../agents/device.service.ts';
import { leaseVouchers } from '../agents/lease.service.ts';
import { recordHandover } from '../cash/ledger.service.ts';
import { createNas } from '../nas/nas.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { proposeRadiusWiring } from '../routers/change-plan.service.ts';
import { createRouter } from '../routers/router.service.ts';
import { allowLoopbackRouters } from '../routers/router-address.testing.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { pushOps } from '../sync/sync.service.ts';
import { createPrintRun } from '../vouchers/print/print-run.service.ts';
import { createVoucherBatch, listBatchVouchers } from '../vouchers/voucher.service.ts';
import type { WorldIds } from '../trpc/procedure-inputs.testing.ts';
import type { TestApp } from './test-app.ts';
import { seedBilling } from './tenant-world-billing.ts';
import { signIn } from './api-caller.ts';
import { hashToken } from '../auth/auth.service.ts';

export interface TenantWorld {
  owner: Actor;
  ownerEmail: string;
  ownerPassword: string;
  /** In every name this tenant's rows carry, so a leak is easy to spot. */
  marker: string;
  ids: WorldIds;
  sim: RouterOsSim;
}

/** Secrets the world stores (encrypted): no answer to anyone may carry them. */
export const WORLD_SECRETS = {
  routerPassword: 'world-router-pass',
  subscriberPassword: 'world-subscriber-pw',
  stripeSecretKey: 'sk_test_worldstripesecret',
  stripeWebhookSecret: 'whsec_worldstripewebhook',
};
const ROUTER_PASSWORD = WORLD_SECRETS.routerPassword;

async function seedRouter(t: TestApp, owner: Actor, marker: string, host: string) {
  const sim = await startRouterOsSim({
    host,
    version: '7.18',
    identity: `${marker}-router`,
    users: [{ name: 'kasi', password: ROUTER_PASSWORD, group: 'full' }],
  });
  await allowLoopbackRouters(t.app, owner);
  const router = await createRouter(t.app, owner, {
    name: `${marker}-router`,
    host,
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: ROUTER_PASSWORD,
  });
  const { plan } = await proposeRadiusWiring(t.app, owner, router.id, { radiusAddress: '192.0.2.53' });
  if (!plan) throw new Error('expected a change plan for the new router');
  return { sim, routerId: router.id, changePlanId: plan.id };
}

async function seedAgent(t: TestApp, owner: Actor, marker: string, planId: string) {
  const email = `${marker}-agent@world.test`;
  const agent = await createAgent(t.app, owner, {
    email,
    name: `${marker}-agent`,
    password: 'agent password 1',
    creditLimitMinor: 1_000_000n,
  });
  const agentActor: Actor = { ...owner, userId: agent.userId, label: email, role: 'agent' };
  const { keys, jwk } = await newDeviceKeys();
  const publicKey = { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x ?? '', y: jwk.y ?? '' };
  const device = await registerDevice(t.app, agentActor, { label: `${marker}-phone`, publicKey });
  await approveDevice(t.app, owner, { deviceId: device.id });
  const { lease, codes } = await leaseVouchers(t.app, owner, { deviceId: device.id, planId, count: 2 });
  const sale = (code: string, seq: number) =>
    signOp(keys.privateKey, device.id, {
      saleId: uuidv7(),
      seq,
      kind: 'sale',
      code,
      amountMinor: 2000n,
      currency: 'KES',
      soldAt: new Date().toISOString(),
      buyerPhone: null,
    });
  return { agent, agentActor, device, publicKey, lease, codes, sale };
}

/** Signs the owner in, so the tenant has a live session of its own to aim at. */
async function ownerSession(t: TestApp, email: string, password: string): Promise<string> {
  const token = await signIn(t.app, email, password);
  const [row] = await t.app.db
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(eq(authSessions.tokenHash, hashToken(token)));
  if (!row) throw new Error('expected the owner session');
  return row.id;
}

/** `host`: a loopback address of its own for the emulated router (RADIUS clients are unique by address). */
export async function newTenantWorld(t: TestApp, host: string): Promise<TenantWorld> {
  const marker = `zz${randomBytes(5).toString('hex')}`;
  const { actor: owner, ownerEmail, ownerPassword } = await t.newTenant({ slug: marker });
  const plan = await createPlan(t.app, owner, {
    name: `${marker}-plan`,
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3600,
    priceMinor: 2000n,
    currency: 'KES',
  });
  const batch = await createVoucherBatch(t.app, owner, {
    planId: plan.id,
    name: `${marker}-batch`,
    quantity: 6,
  });
  const nasAddress = `203.0.113.${1 + ((randomBytes(1)[0] ?? 0) % 250)}`;
  const { nas: nasRow } = await createNas(t.app, owner, { name: `${marker}-nas`, address: nasAddress });
  const subscriberUsername = `${marker}-sub`;
  const subscriber = await createSubscriber(t.app, owner, {
    username: subscriberUsername,
    password: WORLD_SECRETS.subscriberPassword,
    planId: plan.id,
    fullName: `${marker} Subscriber`,
  });
  const router = await seedRouter(t, owner, marker, host);
  const a = await seedAgent(t, owner, marker, plan.id);

  const [sold, leased] = a.codes;
  if (!sold || !leased) throw new Error('expected two leased codes');
  const all = (await listBatchVouchers(t.app, owner, batch.id, { limit: 100, offset: 0 })).rows;
  const stock = all.find((v) => !a.codes.includes(v.code));
  const soldRow = all.find((v) => v.code === sold);
  if (!stock || !soldRow) {
    throw new Error(
      `expected leased and stock codes: leased ${a.codes.join()}, batch ${all.map((v) => v.code).join()}`,
    );
  }
  // One sale applied, and one of a code not on the device, which becomes a conflict.
  await pushOps(t.app, a.agentActor, {
    deviceId: a.device.id,
    ops: [await a.sale(sold, 1), await a.sale(stock.code, 2)],
  });
  const [conflictRow] = await t.app.db
    .select({ id: syncConflicts.id })
    .from(syncConflicts)
    .where(eq(syncConflicts.tenantId, owner.tenantId));
  if (!conflictRow) throw new Error('expected a sync conflict from the unleased code');
  await recordHandover(t.app, owner, { agentId: a.agent.id, amountMinor: 1000n, currency: 'KES' });
  await createPrintRun(t.app, owner, { batchId: batch.id, layout: 'a4', count: 1, brand: `${marker}-print` });
  const billing = await seedBilling(t, owner, subscriber.id, marker, WORLD_SECRETS);

  const now = new Date();
  const [session] = await t.app.db
    .insert(radiusSessions)
    .values({
      tenantId: owner.tenantId,
      nasId: nasRow.id,
      sessionKey: `${sold}|${marker}|1`,
      acctSessionId: marker,
      userName: sold,
      voucherId: soldRow.id,
      startedAt: now,
      lastUpdateAt: now,
    })
    .returning({ id: radiusSessions.id });
  if (!session) throw new Error('insert returned nothing');

  // Signed in first: with a passkey the owner's password alone no longer opens a session.
  const ownerSessionId = await ownerSession(t, ownerEmail, ownerPassword);
  const [passkey] = await t.app.db
    .insert(userPasskeys)
    .values({
      userId: owner.userId ?? '',
      tenantId: owner.tenantId,
      name: `${marker}-passkey`,
      credentialId: `${marker}-credential`,
      publicKey: randomBytes(77).toString('base64url'),
    })
    .returning({ id: userPasskeys.id });
  if (!passkey) throw new Error('insert returned nothing');

  return {
    owner,
    ownerEmail,
    ownerPassword,
    marker,
    sim: router.sim,
    ids: {
      ownerEmail,
      ownerUserId: owner.userId ?? '',
      ownerSessionId,
      ownerPasskeyId: passkey.id,
      planId: plan.id,
      batchId: batch.id,
      voucherId: stock.id,
      voucherCode: leased,
      nasId: nasRow.id,
      nasAddress,
      routerId: router.routerId,
      changePlanId: router.changePlanId,
      agentId: a.agent.id,
      deviceId: a.device.id,
      devicePublicKey: a.publicKey,
      leaseId: a.lease.id,
      subscriberId: subscriber.id,
      subscriberUsername,
      conflictId: conflictRow.id,
      ...billing,
      radiusSessionId: session.id,
    },
  };
}
