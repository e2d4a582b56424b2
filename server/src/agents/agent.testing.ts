// Test factories for agent selling: a tenant with a plan and codes, an agent, and devices
// whose keys are made and used exactly as the PWA does (WebCrypto, non-extractable ECDSA
// P-256, P1363 signatures), all through the real services.
import { canonicalSaleOp, uuidv7, type SaleOp, type SignedSaleOp } from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import type { TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createVoucherBatch, listBatchVouchers } from '../vouchers/voucher.service.ts';
import { createAgent } from './agent.service.ts';
import { approveDevice, registerDevice } from './device.service.ts';
import { leaseVouchers } from './lease.service.ts';

export interface TestDevice {
  id: string;
  keys: CryptoKeyPair;
  /** A signed sale op for a code; `over` replaces fields before signing. */
  sale(code: string, seq: number, over?: Partial<SaleOp>): Promise<SignedSaleOp>;
}

export async function signOp(key: CryptoKey, deviceId: string, op: SaleOp): Promise<SignedSaleOp> {
  const data = new TextEncoder().encode(canonicalSaleOp(deviceId, op));
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data);
  return { ...op, signature: Buffer.from(sig).toString('base64') };
}

export async function newDeviceKeys(): Promise<{ keys: CryptoKeyPair; jwk: JsonWebKey }> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  return { keys, jwk: await crypto.subtle.exportKey('jwk', keys.publicKey) };
}

let n = 0;

export async function newAgentWorld(
  t: TestApp,
  opts: { creditLimitMinor?: bigint; commissionBps?: number; priceMinor?: bigint; codes?: number } = {},
) {
  const { actor: operator } = await t.newTenant();
  const priceMinor = opts.priceMinor ?? 2000n;
  const plan = await createPlan(t.app, operator, {
    name: 'Hour',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3600,
    priceMinor,
    currency: 'KES',
  });
  const batch = await createVoucherBatch(t.app, operator, { planId: plan.id, quantity: opts.codes ?? 50 });

  async function newAgent(limit = opts.creditLimitMinor ?? 1_000_000n) {
    const email = `agent${++n}@field.test`;
    const agent = await createAgent(t.app, operator, {
      email,
      name: `Agent ${n}`,
      password: 'agent password 1',
      creditLimitMinor: limit,
      commissionBps: opts.commissionBps ?? 0,
    });
    const actor: Actor = {
      tenantId: operator.tenantId,
      userId: agent.userId,
      label: email,
      role: 'agent',
      requestId: null,
    };
    return { agent, actor };
  }

  /** Registers (as the agent) and approves (as the operator) a device. */
  async function newDevice(agentActor: Actor, label = 'phone'): Promise<TestDevice> {
    const { keys, jwk } = await newDeviceKeys();
    const row = await registerDevice(t.app, agentActor, {
      label,
      publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
    });
    await approveDevice(t.app, operator, { deviceId: row.id });
    return {
      id: row.id,
      keys,
      sale: (code, seq, over = {}) =>
        signOp(keys.privateKey, row.id, {
          saleId: uuidv7(),
          seq,
          kind: 'sale',
          code,
          amountMinor: priceMinor,
          currency: 'KES',
          soldAt: new Date().toISOString(),
          buyerPhone: null,
          ...over,
        }),
    };
  }

  const lease = async (device: TestDevice, count: number) =>
    (await leaseVouchers(t.app, operator, { deviceId: device.id, planId: plan.id, count })).codes;

  const first = await newAgent();
  const device = await newDevice(first.actor);
  return {
    operator,
    plan,
    batch,
    agent: first.agent,
    agentActor: first.actor,
    device,
    newAgent,
    newDevice,
    lease,
    allCodes: async () =>
      (await listBatchVouchers(t.app, operator, batch.id, { limit: 1000, offset: 0 })).rows,
  };
}

export type AgentWorld = Awaited<ReturnType<typeof newAgentWorld>>;
