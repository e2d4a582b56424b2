import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@kasi/db';
import { DARAJA_TEST_CREDENTIALS } from '@kasi/payments/testing';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { openGateway } from './gateway-factory.ts';
import { setGateway } from './gateway-settings.service.ts';
import {
  paymentDeps,
  paymentWorld,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from './payment.testing.ts';

let t: TestApp;
let fakes: PaymentFakes;
let w: PaymentWorld;
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  w = await paymentWorld(t, paymentDeps(t, fakes));
});
afterAll(async () => {
  await fakes.close();
  await t.close();
});

const open = (deps = w.deps) =>
  withTenant(w.actor.tenantId, () => openGateway(deps, t.app.db, w.actor.tenantId, 'mpesa'));

describe('opened gateways are kept while their sealed settings are unchanged', () => {
  it('reuses the adapter, so its OAuth token is fetched once for many calls', async () => {
    const first = await open();
    const second = await open();
    expect(second.gateway).toBe(first.gateway);
    expect(second.hookToken).toBe(first.hookToken);

    const before = fakes.daraja.tokensIssued();
    await (await open()).gateway.testConnection();
    await (await open()).gateway.testConnection();
    await (await open()).gateway.testConnection();
    // A new adapter per call used to fetch a token every time (3).
    expect(fakes.daraja.tokensIssued() - before).toBeLessThanOrEqual(1);
  });

  it('opens the new settings as soon as they are saved', async () => {
    const old = await open();
    await setGateway(w.deps, w.actor, {
      gateway: 'mpesa',
      config: { ...DARAJA_TEST_CREDENTIALS, kind: 'till', tillNumber: '654321' },
    });
    const fresh = await open();
    expect(fresh.gateway).not.toBe(old.gateway);
    expect(fresh.settings.gateway === 'mpesa' && fresh.settings.config.kind).toBe('till');
  });

  it('never hands one fetch world the adapter built on another', async () => {
    const a = await open();
    const otherFetch: typeof fetch = (input, init) => fetch(input, init);
    const b = await open({ ...w.deps, endpoints: { ...w.deps.endpoints, fetch: otherFetch } });
    expect(b.gateway).not.toBe(a.gateway);
  });
});
