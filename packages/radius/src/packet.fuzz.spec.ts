// 100,000 random and mutated datagrams through the decoder and everything a server runs on
// a decoded packet. Seeded, so a failure replays exactly.
import { describe, expect, it } from 'vitest';
import { describeAttributes, getInteger, getIpAddress, getString, getValue } from './attribute.reader.ts';
import { verifyAccountingRequestAuthenticator } from './authenticator.ts';
import { Code } from './codes.ts';
import { checkPassword } from './credentials.ts';
import { verifyMessageAuthenticator } from './message-authenticator.ts';
import { createMsChapV2Response } from './mschapv2.ts';
import { decodePacket } from './packet.decoder.ts';
import { encodeRequest, encodeResponse } from './packet.encoder.ts';
import type { DropReason, Packet } from './packet.types.ts';
import { randomBuffer, randomInt, seededRandom } from './testing/prng.ts';
import { chapResponse } from './chap.ts';

const secret = 'fuzz-secret';
const challenge = Buffer.alloc(16, 3);

const templates: Buffer[] = [
  encodeRequest({
    code: Code.AccessRequest,
    identifier: 1,
    secret,
    messageAuthenticator: true,
    attributes: [
      ['User-Name', 'KASI-FUZZ'],
      ['User-Password', 'p'.repeat(20)],
      ['NAS-IP-Address', '10.0.0.1'],
      ['Mikrotik-Realm', 'r'],
      ['Proxy-State', Buffer.from('x')],
    ],
  }),
  encodeRequest({
    code: Code.AccessRequest,
    identifier: 2,
    secret,
    attributes: [
      ['User-Name', 'chap'],
      ['CHAP-Password', chapResponse({ ident: 1, password: 'pw', challenge })],
      ['CHAP-Challenge', challenge],
    ],
  }),
  encodeRequest({
    code: Code.AccessRequest,
    identifier: 3,
    secret,
    attributes: [
      ['User-Name', 'User'],
      ['MS-CHAP-Challenge', challenge],
      [
        'MS-CHAP2-Response',
        createMsChapV2Response({ userName: 'User', password: 'pw', authenticatorChallenge: challenge })
          .response,
      ],
    ],
  }),
  encodeRequest({
    code: Code.AccountingRequest,
    identifier: 4,
    secret,
    messageAuthenticator: true,
    attributes: [
      ['Acct-Status-Type', 'Interim-Update'],
      ['Acct-Session-Id', '81a00004'],
      ['Acct-Input-Octets', 12345],
      ['Acct-Input-Gigawords', 1],
      ['Framed-IP-Address', '10.5.50.7'],
      ['Event-Timestamp', 1_700_000_000],
    ],
  }),
  encodeResponse({
    code: Code.AccessAccept,
    identifier: 5,
    requestAuthenticator: Buffer.alloc(16, 1),
    secret,
    attributes: [
      ['Mikrotik-Rate-Limit', '1M/2M'],
      ['Session-Timeout', 60],
    ],
  }),
];

function mutate(random: () => number, input: Buffer): Buffer {
  const buf = Buffer.from(input);
  const at = () => randomInt(random, buf.length);
  switch (randomInt(random, 6)) {
    case 0:
      for (let n = 1 + randomInt(random, 4); n > 0; n--)
        buf[at()] = (buf[at()] ?? 0) ^ (1 << randomInt(random, 8));
      return buf;
    case 1:
      buf[20 + randomInt(random, Math.max(1, buf.length - 20))] = randomInt(random, 256);
      return buf;
    case 2:
      return buf.subarray(0, randomInt(random, buf.length + 1));
    case 3:
      return Buffer.concat([buf, randomBuffer(random, randomInt(random, 40))]);
    case 4:
      buf.writeUInt16BE(randomInt(random, 4200), 2);
      return buf;
    default:
      buf[0] =
        [1, 2, 3, 4, 5, 11, 12, 40, 41, 42, 43, 44, 45, randomInt(random, 256)][randomInt(random, 14)] ?? 0;
      return buf;
  }
}

function exercise(packet: Packet): void {
  describeAttributes(packet);
  getString(packet, 'User-Name');
  getInteger(packet, 'Acct-Input-Octets');
  getIpAddress(packet, 'Framed-IP-Address');
  getValue(packet, 'Event-Timestamp');
  verifyMessageAuthenticator(packet, secret);
  verifyMessageAuthenticator(packet, secret, { requestAuthenticator: Buffer.alloc(16) });
  verifyAccountingRequestAuthenticator(packet, secret);
  checkPassword(packet, secret, 'pw');
}

describe('decodePacket under fuzzing', () => {
  it('never throws on 100,000 random and mutated datagrams, and only accepts well-framed ones', () => {
    const random = seededRandom(0x5eed_2865);
    const outcomes = new Map<DropReason | 'ok', number>();
    const badLengths: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const input =
        i % 4 === 0
          ? randomBuffer(random, randomInt(random, i % 400 === 0 ? 4200 : 120))
          : mutate(random, templates[randomInt(random, templates.length)] ?? Buffer.alloc(0));
      const result = decodePacket(input);
      outcomes.set(
        result.ok ? 'ok' : result.reason,
        (outcomes.get(result.ok ? 'ok' : result.reason) ?? 0) + 1,
      );
      if (!result.ok) continue;
      const { raw } = result.packet;
      if (raw.length !== input.readUInt16BE(2) || raw.length < 20 || raw.length > 4096) badLengths.push(i);
      exercise(result.packet);
    }
    expect(badLengths).toEqual([]);
    // The corpus reaches every outcome, so the loop above really exercised each branch.
    const reasons: (DropReason | 'ok')[] = [
      'ok',
      'too_short',
      'too_long',
      'length_mismatch',
      'unknown_code',
      'bad_attribute_length',
      'attribute_overrun',
      'bad_vsa',
    ];
    for (const reason of reasons) expect(outcomes.get(reason) ?? 0, reason).toBeGreaterThan(0);
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(10_000);
  }, 60_000);
});
