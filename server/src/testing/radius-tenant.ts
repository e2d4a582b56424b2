// A tenant the real radiusd can serve: its keys sit under a master key handed to radiusd (so
// radiusd can unwrap the NAS secret and subscriber passwords), with one loopback NAS whose
// CoA port is a router fake, and live sessions written as accounting would have left them.
import { randomBytes } from 'node:crypto';
import { Keyring, masterKeyFromBytes, radiusSessions } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { createNas } from '../nas/nas.service.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { startRouterFake, type RouterFake } from './router-fake.ts';

/** A test app and a router fake that acknowledges Disconnects signed with `secret`. */
export interface RadiusWorld {
  t: TestApp;
  router: RouterFake;
  secret: string;
  close(): Promise<void>;
}

export async function startRadiusWorld(o: { secret: string }): Promise<RadiusWorld> {
  const t = await createTestApp();
  const router = await startRouterFake({ secret: o.secret });
  return {
    t,
    router,
    secret: o.secret,
    async close() {
      router.close();
      await t.close();
    },
  };
}

export interface RadiusTenant {
  actor: Actor;
  /** The test app with the keyring radiusd shares. */
  app: AppContext;
  nasId: string;
  /** Pass to `startRadiusd`. */
  masterKey: Buffer;
}

export async function newRadiusTenant(o: RadiusWorld): Promise<RadiusTenant> {
  const { actor } = await o.t.newTenant();
  const masterKey = randomBytes(32);
  const app = { ...o.t.app, keyring: new Keyring([masterKeyFromBytes(masterKey)]) };
  const { nas } = await createNas(app, actor, {
    name: 'loopback',
    address: '127.0.0.1',
    secret: o.secret,
    coaPort: o.router.port,
  });
  return { actor, app, nasId: nas.id, masterKey };
}

/** A session the router reported through accounting and has not stopped; `key` is its session id. */
export async function insertLiveSession(o: {
  tenant: RadiusTenant;
  subscriberId: string;
  user: string;
  key: string;
}) {
  await o.tenant.app.db.insert(radiusSessions).values({
    tenantId: o.tenant.actor.tenantId,
    nasId: o.tenant.nasId,
    subscriberId: o.subscriberId,
    sessionKey: o.key,
    acctSessionId: o.key,
    userName: o.user,
    startedAt: new Date(),
    lastUpdateAt: new Date(),
  });
}
