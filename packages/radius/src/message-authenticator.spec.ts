import { describe, expect, it } from 'vitest';
import { Code } from './codes.ts';
import { hmacMd5 as ours, verifyMessageAuthenticator } from './message-authenticator.ts';
import { encodeRequest, encodeResponse } from './packet.encoder.ts';
import { decodeFixture as decode, hmacMd5 } from './testing/packet-fixtures.ts';

const secret = 'testing123';
const requestAuthenticator = Buffer.from('c0ffee00112233445566778899aabbcc', 'hex');

describe('hmacMd5', () => {
  it('matches node:crypto HMAC-MD5 for short, block-sized and long keys (RFC 2104)', () => {
    const data = Buffer.from('what do ya want for nothing?');
    for (const key of ['Jefe', 'k'.repeat(64), 'long'.repeat(40)]) {
      expect(ours(data, key)).toEqual(hmacMd5(key, data));
    }
    // RFC 2202 test case 2.
    expect(ours(data, 'Jefe').toString('hex')).toBe('750c783e6ab0b503eaa86e310a5db738');
  });
});

describe('verifyMessageAuthenticator', () => {
  it('treats two Message-Authenticators or a wrong-length one as invalid', () => {
    const raw = encodeRequest({
      code: Code.AccessRequest,
      identifier: 1,
      secret,
      messageAuthenticator: true,
    });
    const twice = Buffer.concat([raw, raw.subarray(20, 38)]);
    twice.writeUInt16BE(twice.length, 2);
    expect(verifyMessageAuthenticator(decode(twice), secret)).toBe('invalid');
    const short = Buffer.concat([raw.subarray(0, 20), Buffer.from([80, 6, 1, 2, 3, 4])]);
    short.writeUInt16BE(short.length, 2);
    expect(verifyMessageAuthenticator(decode(short), secret)).toBe('invalid');
  });

  it('reads a reply as invalid without the request authenticator it answers', () => {
    const raw = encodeResponse({ code: Code.AccessAccept, identifier: 1, requestAuthenticator, secret });
    expect(verifyMessageAuthenticator(decode(raw), secret)).toBe('invalid');
    expect(verifyMessageAuthenticator(decode(raw), secret, { requestAuthenticator: Buffer.alloc(16) })).toBe(
      'invalid',
    );
  });
});
