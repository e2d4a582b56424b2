// Two-factor sign-in on a real database: enrolment, the second login step, replay and
// recovery-code rules, the per-account throttle and the tenant's "required" gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { auditLog, userRecoveryCodes, userTwoFactor } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { callAs, listProcedures } from '../testing/api-caller.ts';
import { madeUpIds, PROCEDURE_INPUTS } from '../trpc/procedure-inputs.testing.ts';
import { OPEN_WHILE_ENROLLING } from './enrolment-gate.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { addMember, updateTenantSettings } from '../tenants/tenant.service.ts';
import { findSession, passwordStep, secondStep } from './auth.service.ts';
import {
  confirmTwoFactor,
  disableTwoFactor,
  removeMemberTwoFactor,
  startTwoFactor,
  twoFactorStatus,
} from './two-factor.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const now = () => Math.floor(Date.now() / 1000);
/** The code of the next time step: inside the ±1 window, and later than one just used. */
const nextCode = (secret: string) => generate({ secret, epoch: now() + 30 });
const client = { ip: '10.20.0.1', userAgent: 'spec' };

async function enrolledOwner(): Promise<{
  actor: Actor;
  email: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
}> {
  const { actor, ownerEmail, ownerPassword } = await t.newTenant();
  const { secret } = await startTwoFactor(t.app, actor);
  const { recoveryCodes } = await confirmTwoFactor(t.app, actor, { code: await generate({ secret }) });
  return { actor, email: ownerEmail, password: ownerPassword, secret, recoveryCodes };
}

async function challengeFor(email: string, password: string): Promise<string> {
  const step = await passwordStep(t.app, { email, password, ...client });
  if (step.kind !== 'second_factor') throw new Error('expected a second factor');
  return step.challenge;
}

describe('enrolling TOTP', () => {
  it('returns an otpauth URI and an SVG QR, keeps the secret sealed, and audits without it', async () => {
    const { actor } = await t.newTenant();
    const started = await startTwoFactor(t.app, actor);
    expect(started.uri).toMatch(/^otpauth:\/\/totp\/Kasi:.*secret=/);
    expect(started.uri).toContain(`secret=${started.secret}`);
    expect(started.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const [row] = await t.app.db
      .select()
      .from(userTwoFactor)
      .where(eq(userTwoFactor.userId, actor.userId ?? ''));
    expect(row?.secretSealed).toMatch(/^k1\./);
    expect(row?.secretSealed).not.toContain(started.secret);
    expect(row?.confirmedAt).toBeNull();

    const { recoveryCodes } = await confirmTwoFactor(t.app, actor, {
      code: await generate({ secret: started.secret }),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(recoveryCodes[0]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const stored = await t.app.db
      .select()
      .from(userRecoveryCodes)
      .where(eq(userRecoveryCodes.userId, actor.userId ?? ''));
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]?.replaceAll('-', '') ?? 'x');
    expect(await twoFactorStatus(t.app, actor)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    const audits = await t.app.db.select().from(auditLog).where(eq(auditLog.tenantId, actor.tenantId));
    const text = JSON.stringify(audits, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['auth.two_factor.start', 'auth.two_factor.enable']),
    );
    expect(text).not.toContain(started.secret);
    for (const c of recoveryCodes) expect(text).not.toContain(c);
  });

  it('refuses a wrong confirmation code and stays off', async () => {
    const { actor } = await t.newTenant();
    const { secret } = await startTwoFactor(t.app, actor);
    const right = await generate({ secret });
    const wrong = right === '000000' ? '000001' : '000000';
    await expect(confirmTwoFactor(t.app, actor, { code: wrong })).rejects.toMatchObject({
      code: 'TWO_FACTOR.WRONG_CODE',
    });
    expect(await twoFactorStatus(t.app, actor)).toMatchObject({ enabled: false });
  });
});

describe('signing in with a second factor', () => {
  it('gives a challenge, not a session, after the password; a wrong code is refused; the right one signs in', async () => {
    const u = await enrolledOwner();
    const challenge = await challengeFor(u.email, u.password);
    expect(await findSession(t.app, challenge)).toBeNull();
    const code = await nextCode(u.secret);
    const wrong = code === '111111' ? '222222' : '111111';
    await expect(secondStep(t.app, { challenge, code: wrong, ...client })).rejects.toMatchObject({
      code: 'AUTH.WRONG_CODE',
    });
    const { token, session } = await secondStep(t.app, { challenge, code, ...client });
    expect(session).toMatchObject({ email: u.email, mustEnrolTwoFactor: false });
    expect(await findSession(t.app, token)).toMatchObject({ userId: u.actor.userId });
    // The challenge was spent with the code.
    await expect(
      secondStep(t.app, { challenge, code: u.recoveryCodes[0] ?? '', ...client }),
    ).rejects.toMatchObject({
      code: 'AUTH.LOGIN_EXPIRED',
    });
  });

  it('refuses a code that was already used, even on a fresh challenge', async () => {
    const u = await enrolledOwner();
    const code = await nextCode(u.secret);
    await secondStep(t.app, { challenge: await challengeFor(u.email, u.password), code, ...client });
    await expect(
      secondStep(t.app, { challenge: await challengeFor(u.email, u.password), code, ...client }),
    ).rejects.toMatchObject({ code: 'AUTH.WRONG_CODE' });
  });

  it('accepts two concurrent requests with the same code only once', async () => {
    const u = await enrolledOwner();
    const code = await nextCode(u.secret);
    const [a, b] = [await challengeFor(u.email, u.password), await challengeFor(u.email, u.password)];
    const results = await Promise.allSettled([
      secondStep(t.app, { challenge: a, code, ...client }),
      secondStep(t.app, { challenge: b, code, ...client }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('takes a recovery code once, in any case and without dashes', async () => {
    const u = await enrolledOwner();
    const recovery = u.recoveryCodes[3] ?? '';
    const typed = recovery.replaceAll('-', '').toLowerCase();
    await expect(
      secondStep(t.app, { challenge: await challengeFor(u.email, u.password), code: typed, ...client }),
    ).resolves.toBeDefined();
    await expect(
      secondStep(t.app, { challenge: await challengeFor(u.email, u.password), code: recovery, ...client }),
    ).rejects.toMatchObject({ code: 'AUTH.WRONG_CODE' });
    expect(await twoFactorStatus(t.app, u.actor)).toMatchObject({ recoveryCodesLeft: 9 });
  });

  it('throttles the second step per account, counting before the code is checked', async () => {
    const u = await enrolledOwner();
    const challenge = await challengeFor(u.email, u.password);
    const code = await nextCode(u.secret);
    const wrong = code === '333333' ? '444444' : '333333';
    for (let i = 0; i < 5; i++) {
      await expect(secondStep(t.app, { challenge, code: wrong, ...client })).rejects.toMatchObject({
        code: 'AUTH.WRONG_CODE',
      });
    }
    await expect(secondStep(t.app, { challenge, code, ...client })).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
    // A new challenge from another address is the same account: still refused.
    const other = await passwordStep(t.app, {
      email: u.email,
      password: u.password,
      ip: '10.20.0.99',
      userAgent: null,
    });
    if (other.kind !== 'second_factor') throw new Error('expected a second factor');
    await expect(secondStep(t.app, { challenge: other.challenge, code, ...client })).rejects.toMatchObject({
      code: 'AUTH.TOO_MANY_ATTEMPTS',
    });
  });

  it('refuses an expired challenge', async () => {
    const u = await enrolledOwner();
    const challenge = await challengeFor(u.email, u.password);
    await t.app.db.execute(sql`UPDATE login_challenges SET expires_at = now() - interval '1 second'`);
    await expect(
      secondStep(t.app, { challenge, code: await nextCode(u.secret), ...client }),
    ).rejects.toMatchObject({
      code: 'AUTH.LOGIN_EXPIRED',
    });
  });
});

describe('turning two-factor off', () => {
  it('needs the password and a current code', async () => {
    const u = await enrolledOwner();
    const code = await nextCode(u.secret);
    await expect(
      disableTwoFactor(t.app, u.actor, { password: 'wrong password', code }),
    ).rejects.toMatchObject({
      code: 'AUTH.WRONG_PASSWORD',
    });
    await expect(
      disableTwoFactor(t.app, u.actor, { password: u.password, code: '12345x' }),
    ).rejects.toMatchObject({
      code: 'TWO_FACTOR.WRONG_CODE',
    });
    await disableTwoFactor(t.app, u.actor, { password: u.password, code });
    expect(await twoFactorStatus(t.app, u.actor)).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    const step = await passwordStep(t.app, { email: u.email, password: u.password, ...client });
    expect(step.kind).toBe('session');
  });
});

describe('a member who lost phone and recovery codes', () => {
  it('gets two-factor removed by an owner, audited, and signs in with the password alone', async () => {
    const owner = await t.newTenant();
    const email = `lost-${owner.actor.tenantId}@x.test`;
    const m = await addMember(t.app.db, {
      tenantId: owner.actor.tenantId,
      email,
      name: 'L',
      password: 'lost phone pass',
      role: 'admin',
    });
    const memberActor: Actor = { ...owner.actor, userId: m.id, label: email, role: 'admin' };
    const { secret } = await startTwoFactor(t.app, memberActor);
    await confirmTwoFactor(t.app, memberActor, { code: await generate({ secret }) });
    expect((await passwordStep(t.app, { email, password: 'lost phone pass', ...client })).kind).toBe(
      'second_factor',
    );

    // An admin may not do it for an owner; the owner may for the admin.
    await expect(
      removeMemberTwoFactor(t.app, memberActor, { userId: owner.actor.userId ?? '' }),
    ).rejects.toMatchObject({
      code: 'MEMBER.OUTRANKS_YOU',
    });
    expect(await removeMemberTwoFactor(t.app, owner.actor, { userId: m.id })).toEqual({
      email,
      removed: true,
    });
    expect((await passwordStep(t.app, { email, password: 'lost phone pass', ...client })).kind).toBe(
      'session',
    );
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(
        sql`${auditLog.tenantId} = ${owner.actor.tenantId} AND ${auditLog.action} = 'member.two_factor.remove'`,
      );
    expect(audit?.entityId).toBe(m.id);
  });
});

describe('a tenant that requires two-factor for owners and admins', () => {
  it('lets an owner without it do nothing but enrol, then everything', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    // The owner switches the setting on in the console; it holds from their next login.
    const before = await passwordStep(t.app, { email: ownerEmail, password: ownerPassword, ...client });
    if (before.kind !== 'session') throw new Error('expected a session');
    expect(await callAs(t.app, before.token, 'member.requireTwoFactor', { required: true })).toMatchObject({
      ok: true,
    });
    expect(await callAs(t.app, before.token, 'account.security', undefined)).toMatchObject({
      ok: true,
      data: { requiredByTenant: true, tenantRequiresForAdmins: true, enabled: false },
    });
    const step = await passwordStep(t.app, { email: ownerEmail, password: ownerPassword, ...client });
    if (step.kind !== 'session') throw new Error('expected a session');
    expect(step.session.mustEnrolTwoFactor).toBe(true);
    const token = step.token;

    const refused = await callAs(t.app, token, 'plan.list', undefined);
    expect(refused).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      domainCode: 'AUTH.TWO_FACTOR_ENROLMENT_REQUIRED',
    });
    // Readers of the cookie outside tRPC (the print route) see no session at all.
    expect(await findSession(t.app, token)).toBeNull();
    expect(await callAs(t.app, token, 'auth.me', undefined)).toMatchObject({
      ok: true,
      data: { mustEnrolTwoFactor: true },
    });

    const started = await callAs(t.app, token, 'account.startTwoFactor', undefined);
    if (!started.ok) throw new Error(started.message);
    const { secret } = started.data as { secret: string };
    const confirmed = await callAs(t.app, token, 'account.confirmTwoFactor', {
      code: await generate({ secret }),
    });
    expect(confirmed.ok).toBe(true);
    expect(await callAs(t.app, token, 'plan.list', undefined)).toMatchObject({ ok: true });
  });

  it('holds every procedure but the enrolment ones behind the gate (generated from the router)', async () => {
    const { actor, ownerEmail, ownerPassword } = await t.newTenant();
    await updateTenantSettings(t.app, actor, { requireTwoFactorForAdmins: true });
    const step = await passwordStep(t.app, { email: ownerEmail, password: ownerPassword, ...client });
    if (step.kind !== 'session') throw new Error('expected a session');
    const ids = madeUpIds();
    const open: string[] = [];
    for (const { path } of listProcedures()) {
      if (OPEN_WHILE_ENROLLING.has(path)) continue;
      const out = await callAs(t.app, step.token, path, PROCEDURE_INPUTS[path]?.(ids));
      if (out.ok || out.domainCode !== 'AUTH.TWO_FACTOR_ENROLMENT_REQUIRED') open.push(path);
    }
    expect(open).toEqual([]);
  });

  it('does not hold back operators, and refuses an owner turning two-factor off', async () => {
    const u = await enrolledOwner();
    await updateTenantSettings(t.app, u.actor, { requireTwoFactorForAdmins: true });
    await expect(
      disableTwoFactor(t.app, u.actor, { password: u.password, code: await nextCode(u.secret) }),
    ).rejects.toMatchObject({ code: 'TWO_FACTOR.REQUIRED_BY_TENANT' });
    await addMember(t.app.db, {
      tenantId: u.actor.tenantId,
      email: `op-${u.actor.tenantId}@x.test`,
      name: 'Op',
      password: 'operator password',
      role: 'operator',
    });
    const step = await passwordStep(t.app, {
      email: `op-${u.actor.tenantId}@x.test`,
      password: 'operator password',
      ...client,
    });
    expect(step).toMatchObject({ kind: 'session', session: { mustEnrolTwoFactor: false } });
  });
});
