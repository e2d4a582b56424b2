import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { authSessions, users } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { findSession, hashToken, login, logout } from './auth.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('operator login', () => {
  it('stores an argon2id hash, logs in, finds the session and logs out', async () => {
    const { ownerEmail, ownerPassword, actor } = await t.newTenant();
    const [u] = await t.app.db.select().from(users).where(eq(users.email, ownerEmail));
    expect(u?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(u?.passwordHash).not.toContain(ownerPassword);

    const { token, session } = await login(t.app, {
      email: ownerEmail.toUpperCase(),
      password: ownerPassword,
      ip: '10.9.9.1',
      userAgent: 'test',
    });
    expect(session).toMatchObject({ tenantId: actor.tenantId, role: 'owner' });
    const [stored] = await t.app.db
      .select()
      .from(authSessions)
      .where(eq(authSessions.tokenHash, hashToken(token)));
    expect(stored).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(token);

    expect(await findSession(t.app, token)).toMatchObject({ email: ownerEmail });
    await logout(t.app, token);
    expect(await findSession(t.app, token)).toBeNull();
  });

  it('rejects a wrong password, then throttles after five failures even for the right one', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    for (let i = 0; i < 5; i++) {
      await expect(
        login(t.app, { email: ownerEmail, password: 'wrong', ip: '10.9.9.2', userAgent: null }),
      ).rejects.toMatchObject({
        code: 'AUTH.INVALID_CREDENTIALS',
      });
    }
    await expect(
      login(t.app, { email: ownerEmail, password: ownerPassword, ip: '10.9.9.2', userAgent: null }),
    ).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
  });

  it('does not lock colleagues out when one of them mistypes from the same address', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    for (let i = 0; i < 5; i++) {
      await expect(
        login(t.app, { email: a.ownerEmail, password: 'wrong', ip: '10.9.9.7', userAgent: null }),
      ).rejects.toThrow();
    }
    await expect(
      login(t.app, { email: b.ownerEmail, password: b.ownerPassword, ip: '10.9.9.7', userAgent: null }),
    ).resolves.toBeDefined();
  });

  it('does not reveal whether an account exists', async () => {
    await expect(
      login(t.app, { email: 'nobody@nowhere.test', password: 'x', ip: '10.9.9.4', userAgent: null }),
    ).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIALS',
    });
  });

  it('ignores expired sessions', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    const { token } = await login(t.app, {
      email: ownerEmail,
      password: ownerPassword,
      ip: '10.9.9.5',
      userAgent: null,
    });
    await t.app.db
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authSessions.tokenHash, hashToken(token)));
    expect(await findSession(t.app, token)).toBeNull();
  });
});
