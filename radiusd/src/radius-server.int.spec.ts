// The UDP server under hostile input: random and mutated datagrams never crash it,
// every datagram is accounted for, and valid requests are still answered afterwards.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import { Code, encodeRequest, getAll, getString } from '@kasi/radius';
import { startHarness, type Harness } from './testing/radius-harness.ts';
import { TEST_SECRET } from './testing/login.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
let h: Harness;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  h = await startHarness(db.handle);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.close();
  await db.drop();
});

/** Small seeded PRNG (mulberry32) so a failing run can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(valid: Buffer, rand: () => number): Buffer {
  const b = Buffer.from(valid);
  switch (Math.floor(rand() * 5)) {
    case 0: // flip a few bytes anywhere
      for (let i = 0; i < 1 + rand() * 4; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      return b;
    case 1: // truncate
      return b.subarray(0, Math.floor(rand() * b.length));
    case 2: // lie about the length
      b.writeUInt16BE(Math.floor(rand() * 5000), 2);
      return b;
    case 3: // corrupt an attribute length
      b[20 + Math.floor(rand() * Math.max(1, b.length - 21)) + 1] = Math.floor(rand() * 3);
      return b;
    default: // append junk
      return Buffer.concat([
        b,
        Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))),
      ]);
  }
}

describe('radiusd under fuzzing', () => {
  it('survives 20,000 random and mutated datagrams, counts every one, and still answers', async () => {
    const rand = prng(20261122);
    const sender = createSocket('udp4');
    await new Promise<void>((r) => sender.bind(0, '127.0.0.1', r));
    const code = h.codes[0] ?? '';
    const valid = [
      encodeRequest({
        code: Code.AccessRequest,
        identifier: 1,
        attributes: [
          ['User-Name', code],
          ['User-Password', code],
        ],
        secret: TEST_SECRET,
        messageAuthenticator: true,
      }),
      encodeRequest({
        code: Code.AccountingRequest,
        identifier: 2,
        attributes: [
          ['User-Name', code],
          ['Acct-Status-Type', 'Start'],
          ['Acct-Session-Id', 'fz'],
        ],
        secret: TEST_SECRET,
      }),
    ];
    const total = 20_000;
    for (let i = 0; i < total; i++) {
      const base = valid[i % 2] ?? Buffer.alloc(0);
      const packet =
        rand() < 0.3
          ? Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)))
          : mutate(base, rand);
      sender.send(packet, i % 2 ? h.server.acctPort : h.server.authPort, '127.0.0.1');
      // Flow control: let the server catch up so no datagram is lost in a socket buffer,
      // which lets the test demand that every single one is accounted for.
      if (i % 100 === 99)
        await expect.poll(() => h.metrics.total(h.metrics.received), { interval: 2 }).toBe(i + 1);
    }
    await expect.poll(() => h.server.inFlight(), { timeout: 10_000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    sender.close();

    const received = h.metrics.total(h.metrics.received);
    const dropped = h.metrics.total(h.metrics.dropped);
    const handled = h.metrics.total(h.metrics.requests);
    expect(received).toBe(total);
    expect(dropped + handled).toBe(received);
    // Appended junk past the header length is legal (RFC 2865 §3), so not every mutation is bad.
    expect(dropped).toBeGreaterThan(total / 2);
    for (const reason of [
      'too_short',
      'length_mismatch',
      'bad_message_authenticator',
      'bad_request_authenticator',
    ]) {
      expect(h.metrics.droppedFor(reason), reason).toBeGreaterThan(0);
    }
    expect(unhandled).toEqual([]);

    const reply = await h.exchange(
      encodeRequest({
        code: Code.AccessRequest,
        identifier: 77,
        attributes: [
          ['User-Name', code],
          ['User-Password', code],
        ],
        secret: TEST_SECRET,
        messageAuthenticator: true,
      }),
      h.server.authPort,
    );
    expect(reply?.code).toBe(Code.AccessAccept);
    expect(reply && getString(reply, 'Mikrotik-Rate-Limit')).toBe('1M/5M');
  });

  it('answers a retransmission from its cache without a second decision', async () => {
    const code = h.codes[1] ?? '';
    const request = encodeRequest({
      code: Code.AccessRequest,
      identifier: 99,
      attributes: [
        ['User-Name', code],
        ['User-Password', code],
      ],
      secret: TEST_SECRET,
      messageAuthenticator: true,
    });
    const first = await h.exchange(request, h.server.authPort);
    const before = h.metrics.requests.get('type="access",result="duplicate"');
    const second = await h.exchange(request, h.server.authPort);
    expect(second?.raw.equals(first?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(h.metrics.requests.get('type="access",result="duplicate"')).toBe(before + 1);
  });

  it('answers Status-Server on both ports (RFC 5997) and requires its Message-Authenticator', async () => {
    const status = (identifier: number) =>
      encodeRequest({ code: Code.StatusServer, identifier, secret: TEST_SECRET });
    expect((await h.exchange(status(101), h.server.authPort))?.code).toBe(Code.AccessAccept);
    expect((await h.exchange(status(102), h.server.acctPort))?.code).toBe(Code.AccountingResponse);
  });

  it('echoes Proxy-State attributes in order', async () => {
    const code = h.codes[2] ?? '';
    const request = encodeRequest({
      code: Code.AccessRequest,
      identifier: 103,
      attributes: [
        ['User-Name', code],
        ['User-Password', code],
        ['Proxy-State', Buffer.from('one')],
        ['Proxy-State', Buffer.from('two')],
      ],
      secret: TEST_SECRET,
      messageAuthenticator: true,
    });
    const reply = await h.exchange(request, h.server.authPort);
    expect(reply && getAll(reply, 'Proxy-State').map((b) => b.toString())).toEqual(['one', 'two']);
  });
});
