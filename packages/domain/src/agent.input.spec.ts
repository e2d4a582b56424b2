import { describe, expect, it } from 'vitest';
import { adjustmentInput, agentInput, devicePublicKey, handoverInput, leaseInput } from './agent.input.ts';

describe('agent inputs', () => {
  it('defaults an agent to a prepaid float without commission', () => {
    const v = agentInput.parse({ email: 'a@b.test', name: 'A', password: 'long enough pw' });
    expect(v).toMatchObject({ creditLimitMinor: 0n, commissionBps: 0 });
    expect(agentInput.safeParse({ email: 'a@b.test', name: 'A', password: 'short' }).success).toBe(false);
    expect(
      agentInput.safeParse({
        email: 'a@b.test',
        name: 'A',
        password: 'long enough pw',
        creditLimitMinor: -1n,
      }).success,
    ).toBe(false);
  });

  it('takes a WebCrypto JWK as exported (extra members dropped) or SPKI base64', () => {
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      ext: true,
      key_ops: ['verify'],
    };
    expect(devicePublicKey.parse(jwk)).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    expect(devicePublicKey.safeParse({ ...jwk, crv: 'P-384' }).success).toBe(false);
    expect(devicePublicKey.safeParse('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE').success).toBe(true);
    expect(devicePublicKey.safeParse('not base64!').success).toBe(false);
  });

  it('bounds leases and keeps cash amounts whole and signed as meant', () => {
    const ids = { deviceId: crypto.randomUUID(), planId: crypto.randomUUID() };
    expect(leaseInput.safeParse({ ...ids, count: 0 }).success).toBe(false);
    expect(leaseInput.safeParse({ ...ids, count: 1001 }).success).toBe(false);
    const agentId = crypto.randomUUID();
    expect(handoverInput.safeParse({ agentId, amountMinor: 0n, currency: 'KES' }).success).toBe(false);
    expect(handoverInput.safeParse({ agentId, amountMinor: 100, currency: 'KES' }).success).toBe(false);
    expect(handoverInput.safeParse({ agentId, amountMinor: 100n, currency: 'kes' }).success).toBe(false);
    expect(adjustmentInput.safeParse({ agentId, amountMinor: 0n, currency: 'KES', note: 'x' }).success).toBe(
      false,
    );
    expect(adjustmentInput.parse({ agentId, amountMinor: -5n, currency: 'KES', note: 'x' }).amountMinor).toBe(
      -5n,
    );
  });
});
