import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { paymentGateways, withTenant, withTenantLookup, type Executor } from '@kasi/db';
import { DARAJA_TEST_CREDENTIALS } from '@kasi/payments/testing';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import {
  forgetGatewayRows,
  gatewayByHookTokenCached,
  hashToken,
  HOOK_ROW_REFRESH_MS,
  HOOK_ROW_TTL_MS,
  openGateway,
} from './gateway-factory.ts';
import { setGateway, setGatewayEnabled } from './gateway-settings.service.ts';
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

describe('webhook tokens answered from memory for a few seconds', () => {
  const byToken = (token: string, now: number) =>
    withTenantLookup(() => gatewayByHookTokenCached(t.app, t.app.db, token, now));
  const setRow = (values: Partial<typeof paymentGateways.$inferInsert>) =>
    withTenant(w.actor.tenantId, () =>
      t.app.db
        .update(paymentGateways)
        .set(values)
        .where(and(eq(paymentGateways.tenantId, w.actor.tenantId), eq(paymentGateways.gateway, 'mpesa'))),
    );

  it('reads the row once per interval, again after it, and at once after a change saved here', async () => {
    const { hookToken } = await open();
    const now = Date.now();
    expect((await byToken(hookToken, now))?.enabled).toBe(true);

    // Changed behind this process's back: memory answers until the interval ends.
    await setRow({ enabled: false });
    expect((await byToken(hookToken, now + 1))?.enabled).toBe(true);
    expect((await byToken(hookToken, now + HOOK_ROW_TTL_MS + 1))?.enabled).toBe(false);

    // Saved through Kasi in this process: forgotten at once.
    await setGatewayEnabled(w.deps, w.actor, { gateway: 'mpesa', enabled: true });
    expect((await byToken(hookToken, now + HOOK_ROW_TTL_MS + 2))?.enabled).toBe(true);
  });

  /** The app's pool, counting the reads of the settings table made through it. */
  const counting = () => {
    const counter = { selects: 0, db: t.app.db as Executor };
    counter.db = new Proxy(t.app.db, {
      get(target, key, receiver) {
        if (key === 'select') counter.selects++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return counter;
  };

  it('reads an expired row once for all the deliveries that arrive while it is read', async () => {
    const { hookToken } = await open();
    const now = Date.now() + 3 * HOOK_ROW_TTL_MS;
    const c = counting();
    const found = await withTenantLookup(() =>
      Promise.all(Array.from({ length: 50 }, () => gatewayByHookTokenCached(t.app, c.db, hookToken, now))),
    );
    expect(found.every((r) => r?.gateway === 'mpesa')).toBe(true);
    // Each delivery read it for itself before: 50 transactions at once.
    expect(c.selects).toBe(1);
  });

  it('reads a row in use again before it expires, answering from memory meanwhile', async () => {
    const { hookToken } = await open();
    const now = Date.now() + 6 * HOOK_ROW_TTL_MS;
    expect((await byToken(hookToken, now))?.enabled).toBe(true);
    await setRow({ enabled: false });
    try {
      const c = counting();
      // Well inside the interval: memory, no read.
      const early = now + HOOK_ROW_TTL_MS - HOOK_ROW_REFRESH_MS - 1;
      expect(
        (await withTenantLookup(() => gatewayByHookTokenCached(t.app, c.db, hookToken, early)))?.enabled,
      ).toBe(true);
      expect(c.selects).toBe(0);
      // Its last stretch: still memory, and one read in the background.
      const late = now + HOOK_ROW_TTL_MS - 10;
      expect(
        (await withTenantLookup(() => gatewayByHookTokenCached(t.app, c.db, hookToken, late)))?.enabled,
      ).toBe(true);
      expect(c.selects).toBe(1);
      // After the old interval: the row read in the background, without another read.
      const after = now + HOOK_ROW_TTL_MS + 1;
      expect(
        (await withTenantLookup(() => gatewayByHookTokenCached(t.app, c.db, hookToken, after)))?.enabled,
      ).toBe(false);
      expect(c.selects).toBe(1);
    } finally {
      await setRow({ enabled: true });
      forgetGatewayRows(t.app);
    }
  });

  it('never remembers a token it did not find', async () => {
    const { hookToken } = await open();
    const next = 'a-token-not-yet-issued-0001';
    const now = Date.now();
    expect(await byToken(next, now)).toBeNull();
    await setRow({ hookTokenHash: hashToken(next) });
    try {
      expect((await byToken(next, now + 1))?.gateway).toBe('mpesa');
    } finally {
      await setRow({ hookTokenHash: hashToken(hookToken) });
      forgetGatewayRows(t.app);
    }
  });
});
