// The "stock changed" stream over real HTTP and a real PostgreSQL LISTEN: an agent's approved
// phone hears each committed change to its own stock (issued, revoked) and nothing of another
// phone's; a change that rolls back says nothing; no session, an operator, another agent and
// a phone not approved are refused with a plain status; shutting down ends open streams.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { signIn } from '../testing/api-caller.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { newAgentWorld, newDeviceKeys, type AgentWorld } from './agent.testing.ts';
import { AGENT_EVENTS_PATH, agentEventsHandler, endAgentEventStreams } from './agent-events.route.ts';
import { registerDevice } from './device.service.ts';
import { leaseVouchers, requestLease, revokeLease } from './lease.service.ts';

let t: TestApp;
let w: AgentWorld;
let server: Server;
let base = '';
let agentCookie = '';

beforeAll(async () => {
  t = await createTestApp();
  w = await newAgentWorld(t, { codes: 40 });
  const handler = agentEventsHandler(t.app, { heartbeatMs: 100, retryMs: 1_000 });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agentCookie = `${SESSION_COOKIE}=${await signIn(t.app, w.agentActor.label, 'agent password 1')}`;
});
afterAll(async () => {
  endAgentEventStreams();
  await new Promise((r) => server.close(r));
  await t.close();
});

/** An open stream: the events it has received so far, by name. */
async function listen(deviceId: string, cookie = agentCookie) {
  const controller = new AbortController();
  const res = await fetch(`${base}${AGENT_EVENTS_PATH}?device=${deviceId}`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const events: string[] = [];
  let comments = 0;
  let ended = false;
  if (res.ok && res.body) {
    void (async () => {
      let buffer = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body!) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const name = /^event: (.+)$/m.exec(block)?.[1];
            if (name) events.push(name);
            else if (block.startsWith(':')) comments += 1;
          }
        }
      } catch {
        // aborted
      }
      ended = true;
    })();
  }
  return {
    res,
    events,
    comments: () => comments,
    ended: () => ended,
    close: () => controller.abort(),
  };
}

async function until(ok: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

describe('the agent stock stream', () => {
  it('tells the phone of each committed change to its stock, within seconds, and nothing else', async () => {
    const other = await w.newAgent();
    const otherDevice = await w.newDevice(other.actor, 'other phone');
    const s = await listen(w.device.id);
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toContain('text/event-stream');
    expect(s.res.headers.get('cache-control')).toBe('no-store');
    // Heartbeats keep the stream alive while nothing changes.
    expect(await until(() => s.comments() >= 3)).toBe(true);
    expect(s.events).toEqual([]);

    // Another phone's stock: not this phone's business.
    await leaseVouchers(t.app, w.operator, { deviceId: otherDevice.id, planId: w.plan.id, count: 2 });
    // A change that rolls back says nothing either: the agent asks for more codes than there
    // are (their own request is never made up), refused after the feed version moved.
    await expect(
      requestLease(t.app, w.agentActor, { deviceId: w.device.id, planId: w.plan.id, count: 200 }),
    ).rejects.toMatchObject({ code: 'LEASE.NOT_ENOUGH_CODES' });

    const { lease } = await leaseVouchers(t.app, w.operator, {
      deviceId: w.device.id,
      planId: w.plan.id,
      count: 3,
    });
    const committedAt = Date.now();
    expect(await until(() => s.events.length >= 1)).toBe(true);
    expect(Date.now() - committedAt).toBeLessThan(2_000);
    expect(s.events).toEqual(['stock']);

    await revokeLease(t.app, w.operator, lease.id);
    expect(await until(() => s.events.length >= 2)).toBe(true);
    // Give a stray event for the other phone time to arrive, were it sent.
    await new Promise((r) => setTimeout(r, 300));
    expect(s.events).toEqual(['stock', 'stock']);
    s.close();
  });

  it('refuses no session, an operator, another agent, a device not approved and a bad id', async () => {
    const none = await listen(w.device.id, '');
    expect(none.res.status).toBe(401);

    const stranger = await t.newTenant();
    const owner = `${SESSION_COOKIE}=${await signIn(t.app, stranger.ownerEmail, stranger.ownerPassword)}`;
    expect((await listen(w.device.id, owner)).res.status).toBe(403);

    const other = await w.newAgent();
    const otherCookie = `${SESSION_COOKIE}=${await signIn(t.app, other.actor.label, 'agent password 1')}`;
    expect((await listen(w.device.id, otherCookie)).res.status).toBe(404);

    const { jwk } = await newDeviceKeys();
    const pending = await registerDevice(t.app, other.actor, {
      label: 'new phone',
      publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
    });
    expect((await listen(pending.id, otherCookie)).res.status).toBe(403);

    const bad = await fetch(`${base}${AGENT_EVENTS_PATH}?device=not-a-uuid`, {
      headers: { cookie: agentCookie },
    });
    expect(bad.status).toBe(404);
  });

  it('ends open streams when the server stops', async () => {
    const s = await listen(w.device.id);
    expect(s.res.status).toBe(200);
    endAgentEventStreams();
    expect(await until(() => s.ended())).toBe(true);
  });
});
