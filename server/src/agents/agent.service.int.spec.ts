import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, memberships } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createAgent, getOwnAgent, listAgents, updateAgent } from './agent.service.ts';
import { approveDevice, listDevices, registerDevice, retireDevice } from './device.service.ts';
import { keyFingerprint, pairingCode } from '@kasi/domain/pairing-code';
import { newAgentWorld, newDeviceKeys } from './agent.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const spkiBase64 = (curve: string) =>
  generateKeyPairSync('ec', { namedCurve: curve })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');

describe('agents', () => {
  it('creates an agent with an agent login, in the tenant currency, audited', async () => {
    const { actor } = await t.newTenant({ currency: 'UGX' });
    const agent = await createAgent(t.app, actor, {
      email: 'Sam@Field.test',
      name: 'Sam',
      password: 'long enough pw',
      creditLimitMinor: 50_000n,
      commissionBps: 500,
    });
    expect(agent).toMatchObject({
      currency: 'UGX',
      creditLimitMinor: 50_000n,
      commissionBps: 500,
      status: 'active',
    });
    const [m] = await t.app.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.userId, agent.userId)));
    expect(m?.role).toBe('agent');
    expect((await listAgents(t.app, actor)).map((a) => a.email)).toEqual(['sam@field.test']);
    const updated = await updateAgent(t.app, actor, {
      id: agent.id,
      patch: { creditLimitMinor: 0n, status: 'suspended' },
    });
    expect(updated).toMatchObject({ creditLimitMinor: 0n, status: 'suspended' });
    const actions = (
      await t.app.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(eq(auditLog.tenantId, actor.tenantId))
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['member.add', 'agent.create', 'agent.update']));
  });

  it('refuses commission outside 0–10 000 basis points and fractional rates', async () => {
    const { actor } = await t.newTenant();
    const base = { email: 'x@field.test', name: 'X', password: 'long enough pw' };
    await expect(createAgent(t.app, actor, { ...base, commissionBps: 10_001 })).rejects.toThrow();
    await expect(createAgent(t.app, actor, { ...base, commissionBps: 2.5 })).rejects.toThrow();
  });
});

describe('device enrolment', () => {
  it('registers a WebCrypto key as pending; only an operator approves it, once', async () => {
    const w = await newAgentWorld(t);
    const { actor } = await w.newAgent();
    const { jwk } = await newDeviceKeys();
    const device = await registerDevice(t.app, actor, {
      label: 'Tecno',
      publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
    });
    expect(device.status).toBe('pending');
    await expect(approveDevice(t.app, actor, { deviceId: device.id })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    const approved = await approveDevice(t.app, w.operator, { deviceId: device.id });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: w.operator.userId });
    await expect(approveDevice(t.app, w.operator, { deviceId: device.id })).rejects.toMatchObject({
      code: 'DEVICE.NOT_PENDING',
    });
    expect((await getOwnAgent(t.app, actor)).devices.map((d) => d.status)).toEqual(['approved']);
  });

  it('shows beside each pending phone the pairing code the phone itself shows', async () => {
    const w = await newAgentWorld(t);
    const { agent, actor } = await w.newAgent();
    const phones = [await newDeviceKeys(), await newDeviceKeys()];
    for (const { jwk } of phones) {
      await registerDevice(t.app, actor, {
        label: 'My phone',
        publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
      });
    }
    // What each phone shows: the code of its own public key, exported as SPKI.
    const shown = await Promise.all(
      phones.map(async ({ keys }) =>
        pairingCode(await keyFingerprint(await crypto.subtle.exportKey('spki', keys.publicKey))),
      ),
    );
    const listed = (await listDevices(t.app, w.operator)).filter((d) => d.agentId === agent.id);
    expect(listed.map((d) => [d.label, d.status, d.pairingCode])).toEqual([
      ['My phone', 'pending', shown[0]],
      ['My phone', 'pending', shown[1]],
    ]);
    expect(shown[0]).not.toBe(shown[1]);
  });

  it('accepts SPKI keys, refuses other curves and a key enrolled twice', async () => {
    const w = await newAgentWorld(t);
    const spki = spkiBase64('prime256v1');
    await registerDevice(t.app, w.agentActor, { label: 'a', publicKey: spki });
    await expect(registerDevice(t.app, w.agentActor, { label: 'b', publicKey: spki })).rejects.toMatchObject({
      code: 'DEVICE.KEY_TAKEN',
    });
    await expect(
      registerDevice(t.app, w.agentActor, { label: 'c', publicKey: spkiBase64('secp384r1') }),
    ).rejects.toMatchObject({ code: 'DEVICE.BAD_KEY' });
  });

  it('lets only agents register devices', async () => {
    const w = await newAgentWorld(t);
    await expect(
      registerDevice(t.app, w.operator, { label: 'x', publicKey: spkiBase64('prime256v1') }),
    ).rejects.toMatchObject({ code: 'AGENT.NOT_AN_AGENT' });
  });

  it('refuses a pending device by revoking it; a lost device cannot be revoked again', async () => {
    const w = await newAgentWorld(t);
    const pending = await registerDevice(t.app, w.agentActor, {
      label: 'p',
      publicKey: spkiBase64('prime256v1'),
    });
    const { device } = await retireDevice(
      t.app,
      w.operator,
      { deviceId: pending.id, reason: 'not ours' },
      'revoked',
    );
    expect(device).toMatchObject({ status: 'revoked', statusReason: 'not ours' });
    await retireDevice(t.app, w.operator, { deviceId: w.device.id }, 'lost');
    await expect(retireDevice(t.app, w.operator, { deviceId: w.device.id }, 'revoked')).rejects.toMatchObject(
      {
        code: 'DEVICE.ALREADY_RETIRED',
      },
    );
  });
});

describe('tenant isolation', () => {
  it('keeps agents and devices of one tenant out of another’s reach', async () => {
    const a = await newAgentWorld(t);
    const b = await newAgentWorld(t);
    expect((await listAgents(t.app, b.operator)).map((x) => x.agent.id)).not.toContain(a.agent.id);
    expect((await listDevices(t.app, b.operator)).map((d) => d.id)).not.toContain(a.device.id);
    await expect(
      updateAgent(t.app, b.operator, { id: a.agent.id, patch: { creditLimitMinor: 10n ** 12n } }),
    ).rejects.toMatchObject({ code: 'AGENT.NOT_FOUND' });
    await expect(retireDevice(t.app, b.operator, { deviceId: a.device.id }, 'lost')).rejects.toMatchObject({
      code: 'DEVICE.NOT_FOUND',
    });
    const pending = await registerDevice(t.app, a.agentActor, {
      label: 'p',
      publicKey: spkiBase64('prime256v1'),
    });
    await expect(approveDevice(t.app, b.operator, { deviceId: pending.id })).rejects.toMatchObject({
      code: 'DEVICE.NOT_FOUND',
    });
  });
});
