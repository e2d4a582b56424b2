import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, radiusSessions } from '@kasi/db';
import {
  Code,
  decodePacket,
  encodeResponse,
  getString,
  verifyAccountingRequestAuthenticator,
} from '@kasi/radius';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createNas } from '../nas/nas.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber, setSubscriberStatus } from '../subscribers/subscriber.service.ts';
import { kickSession, listOpenSessions } from './session.service.ts';

const SECRET = 'kick-test-secret';
let t: TestApp;
let router: Socket;
let answer: 'ack' | 'nak' | 'silent' = 'ack';
const received: string[] = [];
let nextHost = 20;

beforeAll(async () => {
  t = await createTestApp();
  // Plays a MikroTik's `/radius incoming` listener.
  router = createSocket('udp4');
  router.on('message', (msg, rinfo) => {
    const d = decodePacket(msg);
    if (
      !d.ok ||
      d.packet.code !== Code.DisconnectRequest ||
      !verifyAccountingRequestAuthenticator(d.packet, Buffer.from(SECRET))
    )
      return;
    received.push(getString(d.packet, 'User-Name') ?? '');
    if (answer === 'silent') return;
    const reply = encodeResponse({
      code: answer === 'ack' ? Code.DisconnectAck : Code.DisconnectNak,
      identifier: d.packet.identifier,
      requestAuthenticator: d.packet.authenticator,
      attributes: answer === 'nak' ? [['Error-Cause', 503]] : [],
      secret: Buffer.from(SECRET),
    });
    router.send(reply, rinfo.port, rinfo.address);
  });
  // Any address: each tenant's router entry uses its own 127.0.0.x (addresses are unique).
  await new Promise<void>((r) => router.bind(0, '0.0.0.0', r));
});
afterAll(async () => {
  router.close();
  await t.close();
});

async function world() {
  const { actor } = await t.newTenant();
  const { nas } = await createNas(t.app, actor, {
    name: 'r',
    address: `127.0.0.${nextHost++}`,
    secret: SECRET,
    coaPort: router.address().port,
  });
  const open = async (userName: string) => {
    const [s] = await t.app.db
      .insert(radiusSessions)
      .values({
        tenantId: actor.tenantId,
        nasId: nas.id,
        sessionKey: userName,
        acctSessionId: `as-${userName}`,
        userName,
        startedAt: new Date(),
        lastUpdateAt: new Date(),
      })
      .returning();
    if (!s) throw new Error('no session');
    return s;
  };
  return { actor, open };
}

describe('kicking sessions', () => {
  it('sends a Disconnect-Request to the router and reports ack, nak or timeout, audited', async () => {
    const { actor, open } = await world();
    const s = await open('alice');
    expect((await listOpenSessions(t.app, actor)).map((r) => r.session.id)).toEqual([s.id]);
    answer = 'ack';
    expect(await kickSession(t.app, actor, s.id)).toMatchObject({ status: 'ack' });
    answer = 'nak';
    expect(await kickSession(t.app, actor, s.id)).toMatchObject({ status: 'nak', errorCause: 503 });
    answer = 'silent';
    expect(await kickSession(t.app, actor, s.id)).toMatchObject({ status: 'timeout', attempts: 3 });
    const audits = await t.app.db.select().from(auditLog).where(eq(auditLog.action, 'session.kick'));
    expect(audits.map((a) => (a.after as { result: string }).result)).toEqual(['ack', 'nak', 'timeout']);
  });

  it('will not kick another tenant’s session, and a viewer may not kick', async () => {
    const a = await world();
    const b = await world();
    const s = await a.open('bob');
    await expect(kickSession(t.app, b.actor, s.id)).rejects.toMatchObject({ code: 'SESSION.NOT_FOUND' });
    await expect(kickSession(t.app, { ...a.actor, role: 'viewer' }, s.id)).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });

  it('disconnects a subscriber’s live sessions when they are suspended', async () => {
    const { actor, open } = await world();
    const plan = await createPlan(t.app, actor, {
      name: 'p',
      downloadBps: 1_000_000,
      uploadBps: 1_000_000,
      priceMinor: 1n,
      currency: 'KES',
    });
    const sub = await createSubscriber(t.app, actor, {
      username: 'carol',
      password: 'secret-pass',
      planId: plan.id,
    });
    await open('carol');
    answer = 'ack';
    received.length = 0;
    const r = await setSubscriberStatus(t.app, actor, { id: sub.id, status: 'suspended', reason: 'unpaid' });
    expect(r.disconnects.map((d) => d.result.status)).toEqual(['ack']);
    expect(received).toEqual(['carol']);
  });
});
