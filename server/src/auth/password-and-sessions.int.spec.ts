// Password change, admin reset links and session lists on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app-context.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import {
  listMemberSessions,
  listOwnSessions,
  revokeMemberSessions,
  revokeOwnSessions,
} from './account-sessions.service.ts';
import { eq } from 'drizzle-orm';
import { passwordResets } from '@kasi/db';
import { findSession, login } from './auth.service.ts';
import { purgeLoginAttempts } from './login-throttle.ts';
import { changePassword, issuePasswordReset, resetPassword, RESET_LINK_TTL_MS } from './password.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signIn = (email: string, password: string, userAgent = 'spec') =>
  login(t.app, { email, password, ip: '10.30.0.1', userAgent });

async function tenantWithAdmin() {
  const { actor: owner, ownerEmail, ownerPassword } = await t.newTenant();
  const adminEmail = `admin-${owner.tenantId}@x.test`;
  const admin = await addMember(t.app.db, {
    tenantId: owner.tenantId,
    email: adminEmail,
    name: 'Admin',
    password: 'admin password 1',
    role: 'admin',
  });
  const adminActor: Actor = { ...owner, userId: admin.id, label: adminEmail, role: 'admin' };
  return {
    owner,
    ownerEmail,
    ownerPassword,
    admin: adminActor,
    adminEmail,
    adminPassword: 'admin password 1',
  };
}

describe('changing one’s password', () => {
  it('needs the current password, and ends every other session but keeps this one', async () => {
    const { actor, ownerEmail, ownerPassword } = await t.newTenant();
    const here = await signIn(ownerEmail, ownerPassword, 'tablet');
    const there = await signIn(ownerEmail, ownerPassword, 'phone');
    const input = { currentSessionId: here.session.sessionId, newPassword: 'a brand new password' };
    await expect(
      changePassword(t.app, actor, { ...input, currentPassword: 'not it at all' }),
    ).rejects.toMatchObject({
      code: 'AUTH.WRONG_PASSWORD',
    });
    await expect(
      changePassword(t.app, actor, { ...input, currentPassword: ownerPassword, newPassword: 'short' }),
    ).rejects.toMatchObject({ code: 'USER.WEAK_PASSWORD' });
    expect(await changePassword(t.app, actor, { ...input, currentPassword: ownerPassword })).toEqual({
      otherSessionsRevoked: 1,
    });
    expect(await findSession(t.app, here.token)).not.toBeNull();
    expect(await findSession(t.app, there.token)).toBeNull();
    await expect(signIn(ownerEmail, ownerPassword)).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIALS',
    });
    await expect(signIn(ownerEmail, 'a brand new password')).resolves.toBeDefined();
  });
});

describe('reset links', () => {
  it('set a new password once, end every session of the person, and are refused the second time', async () => {
    const { owner, adminEmail, adminPassword } = await tenantWithAdmin();
    const before = await signIn(adminEmail, adminPassword);
    const adminUserId = before.session.userId;
    const link = await issuePasswordReset(t.app, owner, { userId: adminUserId });
    expect(link.path).toMatch(/^\/reset\/[A-Za-z0-9_-]{43}$/);
    const token = link.path.slice('/reset/'.length);
    await expect(resetPassword(t.app, { token, newPassword: 'short' })).rejects.toMatchObject({
      code: 'USER.WEAK_PASSWORD',
    });
    expect(await resetPassword(t.app, { token, newPassword: 'chosen after reset' })).toEqual({
      email: adminEmail,
    });
    expect(await findSession(t.app, before.token)).toBeNull();
    await expect(signIn(adminEmail, 'chosen after reset')).resolves.toBeDefined();
    await expect(resetPassword(t.app, { token, newPassword: 'and once more please' })).rejects.toMatchObject({
      code: 'AUTH.RESET_LINK_INVALID',
    });
  });

  it('expire 30 minutes after they were made', async () => {
    const { owner, admin } = await tenantWithAdmin();
    const issued = new Date('2026-03-01T08:00:00Z');
    const link = await issuePasswordReset(t.app, owner, { userId: admin.userId ?? '' }, issued);
    expect(link.expiresAt.getTime() - issued.getTime()).toBe(RESET_LINK_TTL_MS);
    const token = link.path.slice('/reset/'.length);
    const late = new Date(issued.getTime() + RESET_LINK_TTL_MS + 1000);
    await expect(
      resetPassword(t.app, { token, newPassword: 'too late for this' }, late),
    ).rejects.toMatchObject({
      code: 'AUTH.RESET_LINK_INVALID',
    });
    const inTime = new Date(issued.getTime() + RESET_LINK_TTL_MS - 1000);
    await expect(
      resetPassword(t.app, { token, newPassword: 'just in time now' }, inTime),
    ).resolves.toBeDefined();
  });

  it('are not made by an admin for an owner, nor for someone who also belongs to another tenant', async () => {
    const { owner, admin } = await tenantWithAdmin();
    await expect(issuePasswordReset(t.app, admin, { userId: owner.userId ?? '' })).rejects.toMatchObject({
      code: 'MEMBER.OUTRANKS_YOU',
    });
    const other = await t.newTenant();
    const shared = `shared-${owner.tenantId}@x.test`;
    const m = await addMember(t.app.db, {
      tenantId: owner.tenantId,
      email: shared,
      name: 'S',
      password: 'shared password 1',
      role: 'operator',
    });
    await addMember(t.app.db, {
      tenantId: other.actor.tenantId,
      email: shared,
      name: 'S',
      password: 'shared password 1',
      role: 'owner',
    });
    await expect(issuePasswordReset(t.app, owner, { userId: m.id })).rejects.toMatchObject({
      code: 'MEMBER.IN_OTHER_TENANTS',
    });
    // Another tenant's member is not found, exactly like a made-up id.
    await expect(
      issuePasswordReset(t.app, owner, { userId: other.actor.userId ?? '' }),
    ).rejects.toMatchObject({
      code: 'MEMBER.NOT_FOUND',
    });
  });
});

describe('the retention pass', () => {
  it('forgets spent and expired reset links and keeps a live one', async () => {
    const { owner, admin } = await tenantWithAdmin();
    const userId = admin.userId ?? '';
    const expired = await issuePasswordReset(
      t.app,
      owner,
      { userId },
      new Date(Date.now() - RESET_LINK_TTL_MS - 1000),
    );
    const spent = await issuePasswordReset(t.app, owner, { userId });
    await resetPassword(t.app, {
      token: spent.path.slice('/reset/'.length),
      newPassword: 'spent link password',
    });
    const live = await issuePasswordReset(t.app, owner, { userId });
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    await purgeLoginAttempts(t.app.db);
    const left = await t.app.db.select().from(passwordResets).where(eq(passwordResets.userId, userId));
    expect(left.map((r) => r.expiresAt.getTime())).toEqual([live.expiresAt.getTime()]);
  });
});

describe('session lists', () => {
  it('shows one’s own sessions with the current one marked, and revokes one or all others', async () => {
    const { actor, ownerEmail, ownerPassword } = await t.newTenant();
    const a = await signIn(ownerEmail, ownerPassword, 'Tablet Chrome');
    const b = await signIn(ownerEmail, ownerPassword, 'Phone Firefox');
    const c = await signIn(ownerEmail, ownerPassword, 'Laptop Safari');
    const list = await listOwnSessions(t.app, actor, a.session.sessionId);
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Tablet Chrome']);
    expect(list[0]).toMatchObject({ ip: '10.30.0.1' });
    expect(Object.keys(list[0] ?? {}).sort()).toEqual([
      'createdAt',
      'current',
      'id',
      'ip',
      'lastSeenAt',
      'userAgent',
    ]);

    await revokeOwnSessions(t.app, actor, { id: b.session.sessionId });
    expect(await findSession(t.app, b.token)).toBeNull();
    expect(await revokeOwnSessions(t.app, actor, { othersThan: a.session.sessionId })).toEqual({
      revoked: 1,
    });
    expect(await findSession(t.app, c.token)).toBeNull();
    expect(await findSession(t.app, a.token)).not.toBeNull();
  });

  it('lets an admin see and revoke a member’s sessions in the tenant, but not an owner’s', async () => {
    const { owner, ownerEmail, ownerPassword, admin } = await tenantWithAdmin();
    const op = await addMember(t.app.db, {
      tenantId: owner.tenantId,
      email: `op-${owner.tenantId}@x.test`,
      name: 'Op',
      password: 'operator password',
      role: 'operator',
    });
    const opSession = await signIn(op.email, 'operator password');
    const listed = await listMemberSessions(t.app, admin, { userId: op.id });
    expect(listed.map((s) => s.id)).toEqual([opSession.session.sessionId]);
    await revokeMemberSessions(t.app, admin, { userId: op.id });
    expect(await findSession(t.app, opSession.token)).toBeNull();

    await signIn(ownerEmail, ownerPassword);
    await expect(revokeMemberSessions(t.app, admin, { userId: owner.userId ?? '' })).rejects.toMatchObject({
      code: 'MEMBER.OUTRANKS_YOU',
    });
    const operator: Actor = { ...owner, userId: op.id, role: 'operator' };
    await expect(listMemberSessions(t.app, operator, { userId: owner.userId ?? '' })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });
});
