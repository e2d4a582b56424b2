// Settings in the console: the tenant's own settings, its people, and the getting-started list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, tenants, verifyAuditChain } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { login } from '../auth/auth.service.ts';
import { resetPassword } from '../auth/password.service.ts';
import { findSession } from '../auth/session-store.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createPrintRun } from '../vouchers/print/print-run.service.ts';
import { createVoucherBatch } from '../vouchers/voucher.service.ts';
import { addMember, updateTenantSettings } from '../tenants/tenant.service.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { gettingStarted } from './getting-started.service.ts';
import { inviteMember, setMemberActive, setMemberRole } from './member-admin.service.ts';
import { readTenantSettings } from './tenant-settings.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PNG_1PX =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

async function member(owner: Actor, role: 'admin' | 'operator' | 'viewer' | 'owner') {
  const email = `${role}-${Math.random().toString(36).slice(2)}@x.test`;
  const m = await addMember(t.app.db, {
    tenantId: owner.tenantId,
    email,
    name: role,
    password: 'a long password',
    role,
  });
  return { ...owner, userId: m.id, label: email, role } satisfies Actor;
}

const ip = { ip: '127.0.0.1', userAgent: 'settings-test' };

describe('tenant settings', () => {
  it('saves the business, branding and rules, audited, with columns and settings apart', async () => {
    const { actor } = await t.newTenant();
    await updateTenantSettings(t.app, actor, {
      name: 'Kasi Net',
      timezone: 'Africa/Nairobi',
      locale: 'sw-KE',
      hotspotUrl: 'http://wifi.kasi.test',
      brandColour: '#0a7f3f',
      logo: PNG_1PX,
      twoPersonApproval: true,
      accountingRetentionMonths: 6,
    });
    const s = await readTenantSettings(t.app, actor);
    expect(s).toMatchObject({
      name: 'Kasi Net',
      timezone: 'Africa/Nairobi',
      locale: 'sw-KE',
      hotspotUrl: 'http://wifi.kasi.test',
      brandColour: '#0a7f3f',
      logo: PNG_1PX,
      twoPersonApproval: true,
      accountingRetentionMonths: 6,
      canManage: true,
    });
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, actor.tenantId), eq(auditLog.action, 'tenant.settings')));
    // The logo is recorded as "set", not copied into the audit log.
    expect(JSON.stringify(audit?.after)).not.toContain('base64');
    expect(await verifyAuditChain(t.app.db, actor.tenantId)).toBeNull();

    await updateTenantSettings(t.app, actor, { hotspotUrl: null, logo: null, radiusAddress: '198.51.100.9' });
    const [row] = await t.app.db.select().from(tenants).where(eq(tenants.id, actor.tenantId));
    expect(row).toMatchObject({ hotspotUrl: null, logo: null, name: 'Kasi Net' });
    expect(row?.settings).toMatchObject({ twoPersonApproval: true, radiusAddress: '198.51.100.9' });
  });

  it('refuses bad values naming the field and writes nothing', async () => {
    const { actor } = await t.newTenant();
    for (const [field, value] of [
      ['timezone', 'Mars/Olympus'],
      ['brandColour', 'green'],
      ['hotspotUrl', 'javascript:alert(1)'],
      ['logo', 'data:image/svg+xml;base64,PHN2Zz4='],
      ['radiusAddress', '300.1.1.1'],
    ] as const) {
      await expect(
        updateTenantSettings(t.app, actor, { name: 'Changed', [field]: value }),
      ).rejects.toMatchObject({
        issues: [expect.objectContaining({ path: [field] })],
      });
    }
    const [row] = await t.app.db.select().from(tenants).where(eq(tenants.id, actor.tenantId));
    expect(row?.name).not.toBe('Changed');
  });

  it('lets only owners change the tenant; viewers and admins read it', async () => {
    const { actor } = await t.newTenant();
    for (const role of ['admin', 'operator', 'viewer'] as const) {
      const who = await member(actor, role);
      await expect(updateTenantSettings(t.app, who, { twoPersonApproval: true })).rejects.toMatchObject({
        code: 'AUTH.FORBIDDEN',
      });
      expect(await readTenantSettings(t.app, who)).toMatchObject({ canManage: false });
    }
  });
});

describe('people and roles', () => {
  it('adds a person with a one-time set-password link that signs them in once set', async () => {
    const { actor } = await t.newTenant();
    const added = await inviteMember(t.app, actor, {
      email: 'New.Op@x.test',
      name: 'New Op',
      role: 'operator',
    });
    expect(added).toMatchObject({ email: 'new.op@x.test', role: 'operator' });
    const token = added.link?.path.replace('/reset/', '') ?? '';
    expect(token.length).toBeGreaterThan(20);
    await expect(
      login(t.app, { email: 'new.op@x.test', password: 'a new password 1', ...ip }),
    ).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIALS',
    });
    await resetPassword(t.app, { token, newPassword: 'a new password 1' });
    const { session } = await login(t.app, { email: 'new.op@x.test', password: 'a new password 1', ...ip });
    expect(session).toMatchObject({ tenantId: actor.tenantId, role: 'operator' });
    await expect(resetPassword(t.app, { token, newPassword: 'another password 2' })).rejects.toMatchObject({
      code: 'AUTH.RESET_LINK_INVALID',
    });
    await expect(
      inviteMember(t.app, actor, { email: 'new.op@x.test', name: 'Again', role: 'viewer' }),
    ).rejects.toMatchObject({ code: 'MEMBER.ALREADY_MEMBER' });
  });

  it('keeps the last owner: no demotion, no deactivation; another owner first', async () => {
    const { actor } = await t.newTenant();
    const admin = await member(actor, 'admin');
    await expect(
      setMemberRole(t.app, actor, { userId: actor.userId ?? '', role: 'admin' }),
    ).rejects.toMatchObject({
      code: 'MEMBER.LAST_OWNER',
    });
    const second = await member(actor, 'owner');
    await expect(
      setMemberActive(t.app, second, { userId: actor.userId ?? '', active: false }),
    ).resolves.toMatchObject({
      active: false,
    });
    await expect(
      setMemberRole(t.app, second, { userId: second.userId, role: 'admin' }),
    ).rejects.toMatchObject({
      code: 'MEMBER.LAST_OWNER',
    });
    // Admins never manage owners nor make them.
    await expect(
      setMemberRole(t.app, admin, { userId: second.userId, role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'MEMBER.OUTRANKS_YOU',
    });
    const op = await member(actor, 'operator');
    await expect(setMemberRole(t.app, admin, { userId: op.userId, role: 'owner' })).rejects.toMatchObject({
      code: 'MEMBER.ROLE_NOT_YOURS',
    });
    await expect(
      setMemberActive(t.app, admin, { userId: second.userId, active: false }),
    ).rejects.toMatchObject({
      code: 'MEMBER.OUTRANKS_YOU',
    });
  });

  it('a deactivated person cannot sign in and their sessions end; reactivated they can', async () => {
    const { actor } = await t.newTenant();
    const op = await member(actor, 'operator');
    const { token } = await login(t.app, { email: op.label, password: 'a long password', ...ip });
    expect(await findSession(t.app, token)).not.toBeNull();
    await setMemberActive(t.app, actor, { userId: op.userId, active: false });
    expect(await findSession(t.app, token)).toBeNull();
    await expect(login(t.app, { email: op.label, password: 'a long password', ...ip })).rejects.toMatchObject(
      {
        code: 'AUTH.INVALID_CREDENTIALS',
      },
    );
    await setMemberActive(t.app, actor, { userId: op.userId, active: true });
    await expect(login(t.app, { email: op.label, password: 'a long password', ...ip })).resolves.toBeTruthy();
    await expect(
      setMemberActive(t.app, actor, { userId: actor.userId ?? '', active: false }),
    ).rejects.toMatchObject({
      code: 'MEMBER.SELF',
    });
  });

  it('viewers and operators never manage people', async () => {
    const { actor } = await t.newTenant();
    for (const role of ['operator', 'viewer'] as const) {
      const who = await member(actor, role);
      await expect(
        inviteMember(t.app, who, { email: `x-${role}@x.test`, name: 'X', role: 'viewer' }),
      ).rejects.toMatchObject({
        code: 'AUTH.FORBIDDEN',
      });
      await expect(
        setMemberRole(t.app, who, { userId: actor.userId ?? '', role: 'viewer' }),
      ).rejects.toMatchObject({
        code: 'AUTH.FORBIDDEN',
      });
    }
  });
});

describe('getting started', () => {
  it('ticks steps from what the tenant really has', async () => {
    const { actor } = await t.newTenant();
    const before = await gettingStarted(t.app, actor);
    expect(before.done).toBe(false);
    expect(before.steps.every((s) => !s.done)).toBe(true);
    await createPlan(t.app, actor, {
      name: 'Daily',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      validitySeconds: 86_400,
      priceMinor: 5000n,
      currency: 'KES',
    });
    const after = await gettingStarted(t.app, actor);
    expect(after.steps.filter((s) => s.done).map((s) => s.key)).toEqual(['plan']);
  });
});

describe('hotspot login address', () => {
  it('is what a print run puts on the cards when the run names none', async () => {
    const { actor } = await t.newTenant();
    await updateTenantSettings(t.app, actor, { hotspotUrl: 'https://wifi.kasi.test/' });
    const plan = await createPlan(t.app, actor, {
      name: 'Hour',
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      validitySeconds: 3_600,
      priceMinor: 2000n,
      currency: 'KES',
    });
    const batch = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 2, prefix: 'KA' });
    const run = await createPrintRun(t.app, actor, { batchId: batch.id, layout: 'a4', count: 1 });
    expect(run.options).toMatchObject({ hotspotUrl: 'https://wifi.kasi.test' });
    const named = await createPrintRun(t.app, actor, {
      batchId: batch.id,
      layout: 'a4',
      count: 1,
      hotspotUrl: 'http://other.lan',
    });
    expect(named.options).toMatchObject({ hotspotUrl: 'http://other.lan' });
  });
});
