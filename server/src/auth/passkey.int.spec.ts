// WebAuthn passkeys on a real database, driven by a software authenticator built from WebCrypto
// (passkey.testing.ts): registering, signing in after the password instead of a TOTP code, and
// each refusal — wrong challenge, wrong origin, a replayed assertion, a lower counter (a cloned
// authenticator) — plus removal, the per-account throttle, the tenant's "required" rule, audit
// rows, and the row-level security of the new tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  APP_ROLE,
  auditLog,
  authSessions,
  connect,
  userPasskeys,
  webauthnChallenges,
  withTenant,
  withTenantLookup,
  type DbHandle,
} from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { callAs } from '../testing/api-caller.ts';
import { generate } from 'otplib';
import { addMember, updateTenantSettings } from '../tenants/tenant.service.ts';
import {
  confirmTwoFactor,
  disableTwoFactor,
  removeMemberTwoFactor,
  startTwoFactor,
} from './two-factor.service.ts';
import { passkeyStep, passwordStep, secondFactorOptions } from './auth.service.ts';
import { purgeLoginAttempts } from './login-throttle.ts';
import {
  addPasskey,
  listPasskeys,
  passkeyRegistrationOptions,
  relyingParty,
  removePasskey,
} from './passkey.service.ts';
import { SoftwareAuthenticator } from './passkey.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const client = { ip: '10.30.0.1', userAgent: 'passkey spec' };
const rp = () => relyingParty(t.app);

interface Owner {
  actor: Actor;
  email: string;
  password: string;
}

async function owner(): Promise<Owner> {
  const { actor, ownerEmail, ownerPassword } = await t.newTenant();
  return { actor, email: ownerEmail, password: ownerPassword };
}

async function register(o: Owner, name = 'Laptop'): Promise<SoftwareAuthenticator> {
  const key = new SoftwareAuthenticator(rp());
  const options = await passkeyRegistrationOptions(t.app, o.actor);
  await addPasskey(t.app, o.actor, { name, response: await key.register(options) });
  return key;
}

/** The password step, which must now ask for a second factor, and the passkey options. */
async function pendingSignIn(o: Owner) {
  const step = await passwordStep(t.app, { email: o.email, password: o.password, ...client });
  if (step.kind !== 'second_factor') throw new Error('expected a second factor');
  const options = await secondFactorOptions(t.app, { challenge: step.challenge });
  if (!options.passkey) throw new Error('expected passkey options');
  return { challenge: step.challenge, options: options.passkey, totp: options.totp };
}

const signInWith = (challenge: string, response: Awaited<ReturnType<SoftwareAuthenticator['assert']>>) =>
  passkeyStep(t.app, { challenge, response, ...client });

const actions = async (tenantId: string) =>
  (await t.app.db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId))).map((a) => a.action);

describe('registering a passkey', () => {
  it('keeps the credential after a verified attestation, lists it, and audits the registration', async () => {
    const o = await owner();
    const options = await passkeyRegistrationOptions(t.app, o.actor);
    expect(options.rp).toEqual({ id: 'localhost', name: 'Kasi' });
    expect(options.attestation).toBe('none');
    expect(options.pubKeyCredParams.map((p) => p.alg)).toEqual([-7, -8, -257]);
    const [stored] = await t.app.db
      .select()
      .from(webauthnChallenges)
      .where(eq(webauthnChallenges.userId, o.actor.userId ?? ''));
    expect(stored).toMatchObject({ purpose: 'register', challenge: options.challenge });

    const key = new SoftwareAuthenticator(rp());
    const added = await addPasskey(t.app, o.actor, {
      name: 'Work laptop',
      response: await key.register(options),
    });
    expect(added.name).toBe('Work laptop');
    const [row] = await t.app.db.select().from(userPasskeys).where(eq(userPasskeys.id, added.id));
    expect(row).toMatchObject({ credentialId: key.id, counter: 0, transports: ['internal'] });
    expect(await listPasskeys(t.app, o.actor)).toEqual([
      expect.objectContaining({ id: added.id, name: 'Work laptop', lastUsedAt: null }),
    ]);
    // Spent: the stored challenge is gone.
    expect(
      await t.app.db
        .select()
        .from(webauthnChallenges)
        .where(eq(webauthnChallenges.userId, o.actor.userId ?? '')),
    ).toEqual([]);
    expect(await actions(o.actor.tenantId)).toContain('auth.passkey.register');
  });

  it('refuses an attestation for another origin, another challenge or another RP ID, and spends the challenge', async () => {
    const o = await owner();
    const key = new SoftwareAuthenticator(rp());
    for (const lie of [
      { origin: 'https://kasi.evil.test' },
      { challenge: Buffer.from('a challenge the server never sent').toString('base64url') },
      { rpId: 'evil.test' },
    ]) {
      const options = await passkeyRegistrationOptions(t.app, o.actor);
      await expect(
        addPasskey(t.app, o.actor, { name: 'Forged', response: await key.register(options, lie) }),
      ).rejects.toMatchObject({ code: 'PASSKEY.NOT_VERIFIED' });
    }
    // The refused tries spent their challenges: the honest answer to the last one is refused too.
    const options = await passkeyRegistrationOptions(t.app, o.actor);
    const response = await key.register(options, { origin: 'https://kasi.evil.test' });
    await expect(addPasskey(t.app, o.actor, { name: 'Forged', response })).rejects.toMatchObject({
      code: 'PASSKEY.NOT_VERIFIED',
    });
    await expect(
      addPasskey(t.app, o.actor, { name: 'Honest', response: await key.register(options) }),
    ).rejects.toMatchObject({ code: 'PASSKEY.EXPIRED' });
    expect(await listPasskeys(t.app, o.actor)).toEqual([]);
  });

  it('takes a registration response once, and the same authenticator once', async () => {
    const o = await owner();
    const key = new SoftwareAuthenticator(rp());
    const options = await passkeyRegistrationOptions(t.app, o.actor);
    const response = await key.register(options);
    await addPasskey(t.app, o.actor, { name: 'Key', response });
    await expect(addPasskey(t.app, o.actor, { name: 'Again', response })).rejects.toMatchObject({
      code: 'PASSKEY.EXPIRED',
    });
    const next = await passkeyRegistrationOptions(t.app, o.actor);
    expect(next.excludeCredentials).toEqual([expect.objectContaining({ id: key.id })]);
    await expect(
      addPasskey(t.app, o.actor, { name: 'Again', response: await key.register(next) }),
    ).rejects.toMatchObject({ code: 'PASSKEY.ALREADY_ADDED' });
  });
});

describe('signing in with a passkey', () => {
  it('asks for a second factor after the password and opens a session for a verified assertion', async () => {
    const o = await owner();
    const key = await register(o);
    const pending = await pendingSignIn(o);
    expect(pending.totp).toBe(false);
    expect(pending.options.allowCredentials).toEqual([expect.objectContaining({ id: key.id })]);
    key.counter = 1;
    const { token, session } = await signInWith(pending.challenge, await key.assert(pending.options));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).toMatchObject({ email: o.email, mustEnrolTwoFactor: false });
    const [row] = await t.app.db.select().from(userPasskeys).where(eq(userPasskeys.credentialId, key.id));
    expect(row?.counter).toBe(1);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
    const audits = await t.app.db.select().from(auditLog).where(eq(auditLog.tenantId, o.actor.tenantId));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.passkey.use', 'auth.login']));
    expect(audits.find((a) => a.action === 'auth.login')?.after).toMatchObject({ method: 'passkey' });
    // The pending sign-in is spent with it.
    await expect(secondFactorOptions(t.app, { challenge: pending.challenge })).rejects.toMatchObject({
      code: 'AUTH.LOGIN_EXPIRED',
    });
  });

  it('refuses an assertion over another challenge, and one from another origin', async () => {
    const o = await owner();
    const key = await register(o);
    const pending = await pendingSignIn(o);
    key.counter = 1;
    const forged = await key.assert(pending.options, {
      challenge: Buffer.from('not the stored challenge').toString('base64url'),
    });
    await expect(signInWith(pending.challenge, forged)).rejects.toMatchObject({
      code: 'AUTH.PASSKEY_REFUSED',
    });
    const again = await secondFactorOptions(t.app, { challenge: pending.challenge });
    const phished = await key.assert(again.passkey ?? { challenge: '' }, {
      origin: 'https://kasi-login.evil.test',
    });
    await expect(signInWith(pending.challenge, phished)).rejects.toMatchObject({
      code: 'AUTH.PASSKEY_REFUSED',
    });
    const wrongRp = await secondFactorOptions(t.app, { challenge: pending.challenge });
    await expect(
      signInWith(
        pending.challenge,
        await key.assert(wrongRp.passkey ?? { challenge: '' }, { rpId: 'evil.test' }),
      ),
    ).rejects.toMatchObject({ code: 'AUTH.PASSKEY_REFUSED' });
    expect(
      await t.app.db
        .select()
        .from(authSessions)
        .where(eq(authSessions.userId, o.actor.userId ?? '')),
    ).toEqual([]);
  });

  it('refuses a replayed assertion, on the same pending sign-in and on a new one', async () => {
    const o = await owner();
    const key = await register(o);
    const first = await pendingSignIn(o);
    key.counter = 1;
    const response = await key.assert(first.options);
    // Replayed before it is used: the stored challenge is spent by the first check.
    const second = await pendingSignIn(o);
    await expect(signInWith(second.challenge, response)).rejects.toMatchObject({
      code: 'AUTH.PASSKEY_REFUSED',
    });
    // The original sign-in's challenge was replaced by the second's options: refused as well.
    await expect(signInWith(first.challenge, response)).rejects.toMatchObject({
      code: 'AUTH.PASSKEY_REFUSED',
    });
    // And once it has signed someone in, never again.
    const third = await pendingSignIn(o);
    key.counter = 2;
    const good = await key.assert(third.options);
    await signInWith(third.challenge, good);
    const fourth = await pendingSignIn(o);
    await expect(signInWith(fourth.challenge, good)).rejects.toMatchObject({ code: 'AUTH.PASSKEY_REFUSED' });
  });

  it("refuses a signature counter lower than (or equal to) the last one seen: a cloned authenticator's", async () => {
    const o = await owner();
    const key = await register(o);
    let pending = await pendingSignIn(o);
    key.counter = 5;
    await signInWith(pending.challenge, await key.assert(pending.options));
    for (const counter of [3, 5]) {
      pending = await pendingSignIn(o);
      key.counter = counter;
      await expect(signInWith(pending.challenge, await key.assert(pending.options))).rejects.toMatchObject({
        code: 'AUTH.PASSKEY_REFUSED',
      });
    }
    const [row] = await t.app.db.select().from(userPasskeys).where(eq(userPasskeys.credentialId, key.id));
    expect(row?.counter).toBe(5);
    pending = await pendingSignIn(o);
    key.counter = 6;
    await expect(signInWith(pending.challenge, await key.assert(pending.options))).resolves.toMatchObject({
      session: { email: o.email },
    });
  });

  it("refuses another person's passkey for this account", async () => {
    const victim = await owner();
    await register(victim);
    const other = await owner();
    const otherKey = await register(other);
    const pending = await pendingSignIn(victim);
    otherKey.counter = 1;
    await expect(signInWith(pending.challenge, await otherKey.assert(pending.options))).rejects.toMatchObject(
      {
        code: 'AUTH.PASSKEY_REFUSED',
      },
    );
  });

  it('throttles passkey attempts per account with the code attempts, counted before the check', async () => {
    const o = await owner();
    const key = await register(o);
    const pending = await pendingSignIn(o);
    for (let i = 0; i < 5; i++) {
      const options = await secondFactorOptions(t.app, { challenge: pending.challenge });
      const bad = await key.assert(options.passkey ?? { challenge: '' }, { origin: 'https://evil.test' });
      await expect(signInWith(pending.challenge, bad)).rejects.toMatchObject({
        code: 'AUTH.PASSKEY_REFUSED',
      });
    }
    const options = await secondFactorOptions(t.app, { challenge: pending.challenge });
    key.counter = 1;
    await expect(
      signInWith(pending.challenge, await key.assert(options.passkey ?? { challenge: '' })),
    ).rejects.toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS' });
    // Counted before the check: the challenge was not even looked at, so it is still there.
    const [stored] = await t.app.db
      .select()
      .from(webauthnChallenges)
      .where(eq(webauthnChallenges.userId, o.actor.userId ?? ''));
    expect(stored?.purpose).toBe('sign_in');
  });

  it('refuses an expired passkey challenge, and the retention pass removes it', async () => {
    const o = await owner();
    const key = await register(o);
    const pending = await pendingSignIn(o);
    await t.app.db
      .update(webauthnChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(webauthnChallenges.userId, o.actor.userId ?? ''));
    key.counter = 1;
    await expect(signInWith(pending.challenge, await key.assert(pending.options))).rejects.toMatchObject({
      code: 'AUTH.PASSKEY_REFUSED',
    });
    await passkeyRegistrationOptions(t.app, o.actor);
    await t.app.db
      .update(webauthnChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(webauthnChallenges.userId, o.actor.userId ?? ''));
    await purgeLoginAttempts(t.app.db);
    expect(
      await t.app.db
        .select()
        .from(webauthnChallenges)
        .where(eq(webauthnChallenges.userId, o.actor.userId ?? '')),
    ).toEqual([]);
  });

  it('needs a live pending sign-in: no options and no step without one', async () => {
    await expect(secondFactorOptions(t.app, { challenge: 'made-up-challenge-token' })).rejects.toMatchObject({
      code: 'AUTH.LOGIN_EXPIRED',
    });
    const o = await owner();
    const key = await register(o);
    const pending = await pendingSignIn(o);
    await expect(
      signInWith('made-up-challenge-token', await key.assert(pending.options)),
    ).rejects.toMatchObject({ code: 'AUTH.LOGIN_EXPIRED' });
  });
});

describe('removing a passkey', () => {
  it('needs the password (counted), audits the removal, and then the password alone signs in', async () => {
    const o = await owner();
    await register(o);
    const [pk] = await listPasskeys(t.app, o.actor);
    await expect(removePasskey(t.app, o.actor, { id: pk?.id ?? '' })).rejects.toMatchObject({
      code: 'PASSKEY.PROOF_NEEDED',
    });
    await expect(
      removePasskey(t.app, o.actor, { id: pk?.id ?? '', password: 'not the password' }),
    ).rejects.toMatchObject({ code: 'AUTH.WRONG_PASSWORD' });
    expect(await listPasskeys(t.app, o.actor)).toHaveLength(1);
    await removePasskey(t.app, o.actor, { id: pk?.id ?? '', password: o.password });
    expect(await listPasskeys(t.app, o.actor)).toEqual([]);
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, o.actor.tenantId), eq(auditLog.action, 'auth.passkey.remove')));
    expect(audit?.after).toMatchObject({ passkeyId: pk?.id, method: 'password' });
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      o.password,
    );
    await expect(
      passwordStep(t.app, { email: o.email, password: o.password, ...client }),
    ).resolves.toMatchObject({
      kind: 'session',
    });
  });

  it("cannot remove another person's passkey (not found, nothing removed)", async () => {
    const victim = await owner();
    await register(victim);
    const [pk] = await listPasskeys(t.app, victim.actor);
    const other = await owner();
    await expect(
      removePasskey(t.app, other.actor, { id: pk?.id ?? '', password: other.password }),
    ).rejects.toMatchObject({ code: 'PASSKEY.NOT_FOUND' });
    expect(await listPasskeys(t.app, victim.actor)).toHaveLength(1);
  });
});

describe('a tenant that requires two-factor for owners and admins', () => {
  it('lets a passkey satisfy the requirement, and keeps the last one', async () => {
    const o = await owner();
    await updateTenantSettings(t.app, o.actor, { requireTwoFactorForAdmins: true });
    const step = await passwordStep(t.app, { email: o.email, password: o.password, ...client });
    if (step.kind !== 'session') throw new Error('expected a session');
    expect(step.session.mustEnrolTwoFactor).toBe(true);
    expect(await callAs(t.app, step.token, 'plan.list', undefined)).toMatchObject({
      ok: false,
      domainCode: 'AUTH.TWO_FACTOR_ENROLMENT_REQUIRED',
    });
    // Registered through the API, from the session held at the gate.
    const key = new SoftwareAuthenticator(rp());
    const options = await callAs(t.app, step.token, 'account.passkeyOptions', undefined);
    if (!options.ok) throw new Error(options.message);
    const added = await callAs(t.app, step.token, 'account.addPasskey', {
      name: 'Phone',
      response: await key.register(options.data as { challenge: string }),
    });
    expect(added).toMatchObject({ ok: true });
    expect(await callAs(t.app, step.token, 'plan.list', undefined)).toMatchObject({ ok: true });

    const [pk] = await listPasskeys(t.app, o.actor);
    await expect(
      removePasskey(t.app, o.actor, { id: pk?.id ?? '', password: o.password }),
    ).rejects.toMatchObject({
      code: 'TWO_FACTOR.REQUIRED_BY_TENANT',
    });
    expect(await listPasskeys(t.app, o.actor)).toHaveLength(1);
    // A second one may go; the last stays.
    await register(o, 'Spare key');
    await removePasskey(t.app, o.actor, { id: pk?.id ?? '', password: o.password });
    expect((await listPasskeys(t.app, o.actor)).map((p) => p.name)).toEqual(['Spare key']);
  });
});

describe('passkeys beside the authenticator app', () => {
  it('lets an owner required to have two-factor turn the app off while a passkey stays', async () => {
    const o = await owner();
    const { secret } = await startTwoFactor(t.app, o.actor);
    await confirmTwoFactor(t.app, o.actor, { code: await generate({ secret }) });
    await updateTenantSettings(t.app, o.actor, { requireTwoFactorForAdmins: true });
    const next = () => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    await expect(
      disableTwoFactor(t.app, o.actor, { password: o.password, code: await next() }),
    ).rejects.toMatchObject({ code: 'TWO_FACTOR.REQUIRED_BY_TENANT' });
    await register(o);
    const pending = await pendingSignIn(o);
    expect(pending.totp).toBe(true);
    await disableTwoFactor(t.app, o.actor, { password: o.password, code: await next() });
    const [pk] = await listPasskeys(t.app, o.actor);
    await expect(
      removePasskey(t.app, o.actor, { id: pk?.id ?? '', password: o.password }),
    ).rejects.toMatchObject({
      code: 'TWO_FACTOR.REQUIRED_BY_TENANT',
    });
  });

  it("goes with the rest of a member's two-factor when an owner removes it", async () => {
    const o = await owner();
    const member = await addMember(t.app.db, {
      tenantId: o.actor.tenantId,
      email: `admin-${o.actor.tenantId}@passkey.test`,
      name: 'Admin',
      password: 'admin password 1',
      role: 'admin',
    });
    const admin: Owner = {
      actor: { ...o.actor, userId: member.id, role: 'admin', label: 'admin' },
      email: `admin-${o.actor.tenantId}@passkey.test`,
      password: 'admin password 1',
    };
    await register(admin);
    expect(await removeMemberTwoFactor(t.app, o.actor, { userId: member.id })).toMatchObject({
      removed: true,
    });
    expect(await listPasskeys(t.app, admin.actor)).toEqual([]);
    await expect(
      passwordStep(t.app, { email: admin.email, password: admin.password, ...client }),
    ).resolves.toMatchObject({ kind: 'session' });
  });
});

describe('row-level security of the passkey tables', () => {
  let appDb: DbHandle;
  beforeAll(() => {
    appDb = connect(t.url, { max: 1, role: APP_ROLE });
  });
  afterAll(() => appDb.close());

  it("shows a person's passkeys to their own scope in any tenant, and to no other scope", async () => {
    const o = await owner();
    await register(o);
    const other = await owner();
    // Awaited inside the scope (a query builder runs where it is awaited).
    const read = async () => await appDb.db.select({ id: userPasskeys.id }).from(userPasskeys);
    const userId = o.actor.userId ?? '';
    expect(await withTenant(o.actor.tenantId, read)).toHaveLength(1);
    expect(await withTenant(other.actor.tenantId, read)).toHaveLength(0);
    // Users are global: their own rows follow them into another tenant's scope.
    expect(await withTenant(other.actor.tenantId, read, { userId })).toHaveLength(1);
    expect(await withTenant(other.actor.tenantId, read, { userId: other.actor.userId })).toHaveLength(0);
    expect(await withTenantLookup(read)).toHaveLength(0);
    expect(await read()).toHaveLength(0);
    const challenges = async () => await appDb.db.select().from(webauthnChallenges);
    await passkeyRegistrationOptions(t.app, o.actor);
    expect(await withTenant(other.actor.tenantId, challenges)).toHaveLength(0);
    expect(await withTenant(o.actor.tenantId, challenges, { userId })).toHaveLength(1);
  });
});
