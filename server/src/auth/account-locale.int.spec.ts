// A person's own console language (ADR 0030): stored on their user, returned by auth.me on
// every later session, refused for a language the console does not speak, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@kasi/db';
import { callAs, signIn } from '../testing/api-caller.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { addMember } from '../tenants/tenant.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const me = async (token: string) => {
  const r = await callAs(t.app, token, 'auth.me', undefined);
  if (!r.ok) throw new Error(r.message);
  return r.data as { userLocale: string | null; tenantLocale: string };
};

describe('account.setLocale', () => {
  it('keeps the choice on the person, for every later sign-in, and null goes back to the tenant', async () => {
    const { actor, ownerEmail, ownerPassword } = await t.newTenant();
    const token = await signIn(t.app, ownerEmail, ownerPassword);
    expect((await me(token)).userLocale).toBeNull();

    expect(await callAs(t.app, token, 'account.setLocale', { locale: 'sw' })).toEqual({
      ok: true,
      data: { locale: 'sw' },
    });
    expect((await me(token)).userLocale).toBe('sw');
    // Another sign-in (another device, or after logging out) starts in the same language.
    const later = await signIn(t.app, ownerEmail, ownerPassword);
    expect((await me(later)).userLocale).toBe('sw');

    await callAs(t.app, later, 'account.setLocale', { locale: 'fr' });
    await callAs(t.app, later, 'account.setLocale', { locale: null });
    expect((await me(token)).userLocale).toBeNull();

    const audits = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, actor.tenantId), eq(auditLog.action, 'user.locale.change')));
    expect(audits.map((a) => [a.before, a.after])).toEqual([
      [{ locale: null }, { locale: 'sw' }],
      [{ locale: 'sw' }, { locale: 'fr' }],
      [{ locale: 'fr' }, { locale: null }],
    ]);
  });

  it('refuses a language the console does not speak with a typed error, and changes nothing', async () => {
    const { ownerEmail, ownerPassword } = await t.newTenant();
    const token = await signIn(t.app, ownerEmail, ownerPassword);
    for (const locale of ['de', 'sw-KE', '', 42]) {
      const r = await callAs(t.app, token, 'account.setLocale', { locale });
      expect(r).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    }
    expect((await me(token)).userLocale).toBeNull();
  });

  it('changes only the caller: a colleague in the same organisation keeps theirs', async () => {
    const { actor, ownerEmail, ownerPassword } = await t.newTenant();
    const email = `clerk-${actor.tenantId}@x.test`;
    await addMember(t.app.db, {
      tenantId: actor.tenantId,
      email,
      name: 'Clerk',
      password: 'clerk password 1',
      role: 'viewer',
    });
    const owner = await signIn(t.app, ownerEmail, ownerPassword);
    const clerk = await signIn(t.app, email, 'clerk password 1');
    await callAs(t.app, clerk, 'account.setLocale', { locale: 'fr' });
    expect((await me(clerk)).userLocale).toBe('fr');
    expect((await me(owner)).userLocale).toBeNull();
  });
});
