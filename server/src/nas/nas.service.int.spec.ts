import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, nas, SECRET_PURPOSE } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { proposeRadiusWiring } from '../routers/change-plan.service.ts';
import { createRouter } from '../routers/router.service.ts';
import { createNas, listNas } from './nas.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('NAS', () => {
  it('stores the shared secret encrypted and never lists it', async () => {
    const { actor } = await t.newTenant();
    const secret = 'super-secret-shared-key';
    await createNas(t.app, actor, { name: 'tower', address: '192.0.2.10', secret });
    const [row] = await t.app.db.select().from(nas).where(eq(nas.address, '192.0.2.10'));
    expect(row?.secretEnc).not.toContain(secret);
    expect(
      await t.app.keyring.decrypt(t.app.db, actor.tenantId, SECRET_PURPOSE.nasSecret, row?.secretEnc ?? ''),
    ).toBe(secret);
    expect(JSON.stringify(await listNas(t.app, actor))).not.toContain(secret);
    const audits = await t.app.db.select().from(auditLog).where(eq(auditLog.tenantId, actor.tenantId));
    expect(JSON.stringify(audits, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      secret,
    );
  });

  it('will not decrypt one tenant’s secret with another tenant’s key', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    await createNas(t.app, a.actor, { name: 'a', address: '192.0.2.11', secret: 'aaaaaaaaaa' });
    await createNas(t.app, b.actor, { name: 'b', address: '192.0.2.12', secret: 'bbbbbbbbbb' });
    const [row] = await t.app.db.select().from(nas).where(eq(nas.address, '192.0.2.11'));
    await expect(
      t.app.keyring.decrypt(t.app.db, b.actor.tenantId, SECRET_PURPOSE.nasSecret, row?.secretEnc ?? ''),
    ).rejects.toThrow();
  });

  it('generates a strong secret when none is given and refuses a duplicate address or a bad one', async () => {
    const { actor } = await t.newTenant();
    const { secret } = await createNas(t.app, actor, { name: 'gen', address: '192.0.2.13' });
    expect(secret?.length).toBeGreaterThanOrEqual(24);
    await expect(createNas(t.app, actor, { name: 'dup', address: '192.0.2.13' })).rejects.toMatchObject({
      code: 'NAS.ADDRESS_TAKEN',
    });
    await expect(createNas(t.app, actor, { name: 'bad', address: 'router.local' })).rejects.toMatchObject({
      code: 'NAS.BAD_ADDRESS',
    });
    // A taken name was once an unmapped unique violation (a 500 in the console).
    await expect(createNas(t.app, actor, { name: 'gen', address: '192.0.2.14' })).rejects.toMatchObject({
      code: 'NAS.NAME_TAKEN',
    });
  });

  it('tells only the holder that an address is taken; another tenant gets the answer an unusable address gets', async () => {
    const holder = await t.newTenant();
    const other = await t.newTenant();
    await createNas(t.app, holder.actor, { name: 'held', address: '192.0.2.40' });
    await expect(
      createNas(t.app, holder.actor, { name: 'again', address: '192.0.2.40' }),
    ).rejects.toMatchObject({
      code: 'NAS.ADDRESS_TAKEN',
    });
    const held = await createNas(t.app, other.actor, { name: 'mine', address: '192.0.2.40' }).catch(
      (e: unknown) => e,
    );
    const never = await createNas(t.app, other.actor, { name: 'mine', address: '224.0.0.9' }).catch(
      (e: unknown) => e,
    );
    const shape = (e: unknown, address: string) => {
      const { code, kind, message } = e as { code: string; kind: string; message: string };
      return { code, kind, message: message.replace(address, 'X') };
    };
    expect(shape(held, '192.0.2.40')).toEqual(shape(never, '224.0.0.9'));
    expect(shape(held, '192.0.2.40')).toMatchObject({ code: 'NAS.ADDRESS_UNAVAILABLE', kind: 'conflict' });
    expect((held as Error).message).not.toMatch(/already|another tenant|registered by/i);
  });

  it('says the same when a router of another tenant’s NAS address is wired for RADIUS', async () => {
    const holder = await t.newTenant();
    const other = await t.newTenant();
    await createNas(t.app, holder.actor, { name: 'held', address: '192.0.2.41' });
    const router = await createRouter(t.app, other.actor, {
      name: 'r',
      host: '192.0.2.41',
      tls: false,
      allowPlain: true,
      username: 'kasi',
      password: 'router-pass-1',
    });
    await expect(
      proposeRadiusWiring(t.app, other.actor, router.id, { radiusAddress: '192.0.2.53' }),
    ).rejects.toMatchObject({ code: 'NAS.ADDRESS_UNAVAILABLE' });
  });
});
