// Suspension as the router sees it: the next login after a suspend meets radiusd's answer
// (walled garden or reject, per plan), live sessions get a Disconnect-Request, and resume
// gives full service again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { radiusSessions } from '@kasi/db';
import { radclientLogin, startRadiusd } from '../testing/radiusd-process.ts';
import {
  insertLiveSession,
  newRadiusTenant,
  startRadiusWorld,
  type RadiusWorld,
} from '../testing/radius-tenant.ts';
import { createPlan } from '../plans/plan.service.ts';
import { addSubscriber } from './subscriber.service.ts';
import { resumeSubscriber, suspendSubscriber, terminateSubscriber } from './subscriber-status.service.ts';

const SECRET = 'suspend-test-secret';
let world: RadiusWorld;

beforeAll(async () => {
  world = await startRadiusWorld({ secret: SECRET });
});
afterAll(() => world.close());

describe('suspension at the router', () => {
  it('walled-gardens a suspended subscriber at the next login, kicks the live session, and restores on resume', async () => {
    const tenant = await newRadiusTenant(world);
    const { actor, app } = tenant;
    const garden = await createPlan(app, actor, {
      name: 'Home garden',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 1n,
      currency: 'KES',
      exhaustedAction: 'walled_garden',
      walledGardenList: 'unpaid',
    });
    const strict = await createPlan(app, actor, {
      name: 'Strict',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 1n,
      currency: 'KES',
    });
    const { subscriber: jane, password } = await addSubscriber(app, actor, {
      username: 'jane',
      planId: garden.id,
    });
    const { subscriber: joe, password: joePass } = await addSubscriber(app, actor, {
      username: 'joe',
      planId: strict.id,
    });
    const radiusd = await startRadiusd(world.t.url, tenant.masterKey);
    try {
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Accept',
        rateLimit: '2M/10M',
        addressList: null,
      });
      // A live session from accounting, as the router reported it.
      await insertLiveSession({ tenant, subscriberId: jane.id, user: 'jane', key: 'jane-1' });
      world.router.disconnects.length = 0;
      const suspended = await suspendSubscriber(app, actor, { id: jane.id, reason: 'unpaid May' });
      expect(suspended.disconnects.map((d) => d.result.status)).toEqual(['ack']);
      expect(world.router.disconnects.map((d) => d.user)).toEqual(['jane']);
      // The router ends the session on the Disconnect and says so in accounting (Stop), then
      // the customer's device logs in again.
      await app.db.update(radiusSessions).set({ stoppedAt: new Date() });
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Accept',
        addressList: 'unpaid',
      });
      await resumeSubscriber(app, actor, { id: jane.id });
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Accept',
        rateLimit: '2M/10M',
        addressList: null,
      });

      // A plan without a walled garden refuses; so does a terminated account.
      await suspendSubscriber(app, actor, { id: joe.id, reason: 'unpaid May' });
      expect(await radclientLogin(radiusd.port, SECRET, 'joe', joePass)).toMatchObject({
        code: 'Access-Reject',
      });
      await terminateSubscriber(app, actor, { id: jane.id, reason: 'moved away' });
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Reject',
      });
    } finally {
      await radiusd.stop();
    }
  });
});
