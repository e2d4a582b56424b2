// Suspension as the router sees it: the next login after a suspend meets radiusd's answer
// (walled garden or reject, per plan), live sessions get a Disconnect-Request, and resume
// gives full service again.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring, masterKeyFromBytes, radiusSessions } from '@kasi/db';
import { Code, decodePacket, encodeResponse, getString } from '@kasi/radius';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { radclientLogin, startRadiusd } from '../testing/radiusd-process.ts';
import { createNas } from '../nas/nas.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { addSubscriber } from './subscriber.service.ts';
import { resumeSubscriber, suspendSubscriber, terminateSubscriber } from './subscriber-status.service.ts';

const SECRET = 'suspend-test-secret';
let t: TestApp;
let router: Socket;
const disconnects: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  // Plays the router's `/radius incoming` listener: acknowledges every Disconnect-Request.
  router = createSocket('udp4');
  router.on('message', (msg, rinfo) => {
    const d = decodePacket(msg);
    if (!d.ok || d.packet.code !== Code.DisconnectRequest) return;
    disconnects.push(getString(d.packet, 'User-Name') ?? '');
    const reply = encodeResponse({
      code: Code.DisconnectAck,
      identifier: d.packet.identifier,
      requestAuthenticator: d.packet.authenticator,
      attributes: [],
      secret: Buffer.from(SECRET),
    });
    router.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => router.bind(0, '127.0.0.1', r));
});
afterAll(async () => {
  router.close();
  await t.close();
});

describe('suspension at the router', () => {
  it('walled-gardens a suspended subscriber at the next login, kicks the live session, and restores on resume', async () => {
    const { actor } = await t.newTenant();
    // radiusd must unwrap the NAS secret and the password, so the tenant's key sits under a key it is given.
    const masterKey = randomBytes(32);
    const app = { ...t.app, keyring: new Keyring([masterKeyFromBytes(masterKey)]) };
    const { nas } = await createNas(app, actor, {
      name: 'loopback',
      address: '127.0.0.1',
      secret: SECRET,
      coaPort: router.address().port,
    });
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
    const radiusd = await startRadiusd(t.url, masterKey);
    try {
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Accept',
        rateLimit: '2M/10M',
        addressList: null,
      });
      // A live session from accounting, as the router reported it.
      await app.db.insert(radiusSessions).values({
        tenantId: actor.tenantId,
        nasId: nas.id,
        subscriberId: jane.id,
        sessionKey: 'jane-1',
        acctSessionId: 'jane-1',
        userName: 'jane',
        startedAt: new Date(),
        lastUpdateAt: new Date(),
      });
      disconnects.length = 0;
      const suspended = await suspendSubscriber(app, actor, { id: jane.id, reason: 'unpaid May' });
      expect(suspended.disconnects.map((d) => d.result.status)).toEqual(['ack']);
      expect(disconnects).toEqual(['jane']);
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
