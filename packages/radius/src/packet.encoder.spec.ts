import { describe, expect, it } from 'vitest';
import { verifyAccountingRequestAuthenticator } from './authenticator.ts';
import { getAll } from './attribute.reader.ts';
import { Code } from './codes.ts';
import { verifyMessageAuthenticator } from './message-authenticator.ts';
import { decodePacket } from './packet.decoder.ts';
import { encodeRequest, encodeResponse, encodeResponseTo } from './packet.encoder.ts';
import { verifyResponse } from './response.verifier.ts';
import { bitFlips, decodeFixture as decode, hmacMd5, md5, withBytes } from './testing/packet-fixtures.ts';

const secret = 'testing123';
const requestAuthenticator = Buffer.from('c0ffee00112233445566778899aabbcc', 'hex');
const hmac = (data: Buffer) => hmacMd5(secret, data);

const replyAttributes = [
  ['Session-Timeout', 3600],
  ['Mikrotik-Rate-Limit', '5M/10M'],
] as const;

describe('encodeResponse', () => {
  it.each([
    ['Access-Accept', Code.AccessAccept],
    ['Access-Reject', Code.AccessReject],
    ['Access-Challenge', Code.AccessChallenge],
  ])('signs %s with Message-Authenticator first and a Response Authenticator', (_name, code) => {
    const raw = encodeResponse({
      code,
      identifier: 99,
      requestAuthenticator,
      attributes: replyAttributes,
      secret,
    });
    // Message-Authenticator is the first attribute (BlastRADIUS).
    expect(raw.subarray(20, 22)).toEqual(Buffer.from([80, 18]));
    // RFC 3579 §3.2: HMAC over the reply with the Request Authenticator and a zeroed MA.
    const forHmac = withBytes(withBytes(raw, 4, requestAuthenticator), 22, Buffer.alloc(16));
    expect(raw.subarray(22, 38)).toEqual(hmac(forHmac));
    // RFC 2865 §3: MD5(Code + ID + Length + RequestAuth + Attributes + Secret).
    expect(raw.subarray(4, 20)).toEqual(md5(withBytes(raw, 4, requestAuthenticator), secret));
    const packet = decode(raw);
    expect(verifyMessageAuthenticator(packet, secret, { requestAuthenticator })).toBe('valid');
    expect(verifyResponse(raw, requestAuthenticator, secret)).toMatchObject({
      ok: true,
      messageAuthenticator: 'valid',
    });
  });

  it.each([
    ['Accounting-Response', Code.AccountingResponse],
    ['CoA-ACK', Code.CoaAck],
    ['CoA-NAK', Code.CoaNak],
    ['Disconnect-ACK', Code.DisconnectAck],
    ['Disconnect-NAK', Code.DisconnectNak],
  ])('signs %s, with Message-Authenticator only when asked', (_name, code) => {
    const plain = encodeResponse({ code, identifier: 1, requestAuthenticator, secret });
    expect(plain).toHaveLength(20);
    expect(plain.subarray(4, 20)).toEqual(md5(withBytes(plain, 4, requestAuthenticator), secret));
    expect(verifyResponse(plain, requestAuthenticator, secret)).toMatchObject({
      ok: true,
      messageAuthenticator: 'absent',
    });

    const signed = encodeResponse({
      code,
      identifier: 1,
      requestAuthenticator,
      secret,
      messageAuthenticator: true,
    });
    const forHmac = withBytes(withBytes(signed, 4, requestAuthenticator), 22, Buffer.alloc(16));
    expect(signed.subarray(22, 38)).toEqual(hmac(forHmac));
    expect(verifyResponse(signed, requestAuthenticator, secret)).toMatchObject({
      ok: true,
      messageAuthenticator: 'valid',
    });
  });

  it('rejects every single flipped bit of a signed reply', () => {
    const raw = encodeResponse({
      code: Code.AccessAccept,
      identifier: 3,
      requestAuthenticator,
      attributes: replyAttributes,
      secret,
    });
    for (const corrupted of bitFlips(raw))
      expect(verifyResponse(corrupted, requestAuthenticator, secret).ok).toBe(false);
    expect(verifyResponse(raw, Buffer.alloc(16), secret)).toEqual({ ok: false, reason: 'bad_authenticator' });
    expect(verifyResponse(raw, requestAuthenticator, 'wrong')).toEqual({
      ok: false,
      reason: 'bad_authenticator',
    });
  });

  it('echoes Proxy-State last and in order', () => {
    const proxyStates = [Buffer.from('first'), Buffer.from('second')];
    const raw = encodeResponse({
      code: Code.AccessReject,
      identifier: 5,
      requestAuthenticator,
      secret,
      proxyStates,
    });
    const packet = decode(raw);
    expect(getAll(packet, 'Proxy-State')).toEqual(proxyStates);
    expect(packet.attributes.map((a) => a.type)).toEqual([80, 33, 33]);
  });

  it('answers a decoded request with encodeResponseTo', () => {
    const request = decode(
      encodeRequest({
        code: Code.AccessRequest,
        identifier: 77,
        secret,
        attributes: [
          ['User-Name', 'u'],
          ['Proxy-State', Buffer.from('p1')],
        ],
      }),
    );
    const raw = encodeResponseTo(request, { code: Code.AccessAccept, secret });
    const reply = verifyResponse(raw, request.authenticator, secret);
    expect(reply.ok && reply.packet.identifier).toBe(77);
    expect(reply.ok && getAll(reply.packet, 'Proxy-State')).toEqual([Buffer.from('p1')]);
  });

  it('refuses bad input loudly', () => {
    const base = { identifier: 1, requestAuthenticator, secret };
    expect(() => encodeResponse({ ...base, code: Code.AccessRequest })).toThrow(/not a reply/);
    expect(() => encodeResponse({ ...base, code: Code.AccessAccept, identifier: 256 })).toThrow(/identifier/);
    expect(() =>
      encodeResponse({ ...base, code: Code.AccessAccept, requestAuthenticator: Buffer.alloc(8) }),
    ).toThrow();
    const many = Array.from({ length: 20 }, () => ['Reply-Message', 'x'.repeat(250)] as const);
    expect(() => encodeResponse({ ...base, code: Code.AccessReject, attributes: many })).toThrow(/4096/);
  });
});

describe('encodeRequest', () => {
  it('builds an Access-Request with a random authenticator and Message-Authenticator first when asked', () => {
    const a = encodeRequest({
      code: Code.AccessRequest,
      identifier: 1,
      secret,
      attributes: [['User-Name', 'x']],
    });
    const b = encodeRequest({
      code: Code.AccessRequest,
      identifier: 1,
      secret,
      attributes: [['User-Name', 'x']],
    });
    expect(a.subarray(4, 20)).not.toEqual(b.subarray(4, 20));
    expect(verifyMessageAuthenticator(decode(a), secret)).toBe('absent');

    const signed = encodeRequest({
      code: Code.AccessRequest,
      identifier: 1,
      secret,
      messageAuthenticator: true,
      attributes: [['User-Name', 'x']],
    });
    expect(signed.subarray(20, 22)).toEqual(Buffer.from([80, 18]));
    // RFC 3579 §3.2: HMAC over the request as sent, Message-Authenticator zeroed.
    expect(signed.subarray(22, 38)).toEqual(hmac(withBytes(signed, 22, Buffer.alloc(16))));
    expect(verifyMessageAuthenticator(decode(signed), secret)).toBe('valid');
    for (const corrupted of bitFlips(signed)) {
      const result = decodePacket(corrupted);
      expect(result.ok && verifyMessageAuthenticator(result.packet, secret) === 'valid').toBe(false);
    }
  });

  it('always signs Status-Server (RFC 5997)', () => {
    const raw = encodeRequest({ code: Code.StatusServer, identifier: 4, secret });
    expect(raw).toHaveLength(38);
    expect(verifyMessageAuthenticator(decode(raw), secret)).toBe('valid');
  });

  it.each([
    ['Accounting-Request', Code.AccountingRequest],
    ['CoA-Request', Code.CoaRequest],
    ['Disconnect-Request', Code.DisconnectRequest],
  ])('signs %s over a zeroed authenticator (RFC 2866 §3, RFC 5176 §2.3 and §3.4)', (_name, code) => {
    const attributes = [
      ['User-Name', 'KASI-1'],
      ['Acct-Session-Id', '81a00004'],
    ] as const;
    const raw = encodeRequest({ code, identifier: 200, secret, attributes, messageAuthenticator: true });
    const zeroed = withBytes(raw, 4, Buffer.alloc(16));
    expect(raw.subarray(22, 38)).toEqual(hmac(withBytes(zeroed, 22, Buffer.alloc(16))));
    expect(raw.subarray(4, 20)).toEqual(md5(zeroed, secret));
    const packet = decode(raw);
    expect(verifyAccountingRequestAuthenticator(packet, secret)).toBe(true);
    expect(verifyMessageAuthenticator(packet, secret)).toBe('valid');
    expect(verifyAccountingRequestAuthenticator(packet, 'wrong')).toBe(false);
    for (const corrupted of bitFlips(raw)) {
      const result = decodePacket(corrupted);
      expect(result.ok && verifyAccountingRequestAuthenticator(result.packet, secret)).toBe(false);
    }
  });

  it('flags a Message-Authenticator computed over the real authenticator as invalid (the npm radius bug)', () => {
    const raw = encodeRequest({
      code: Code.AccountingRequest,
      identifier: 1,
      secret,
      messageAuthenticator: true,
    });
    const wrong = withBytes(raw, 22, hmac(withBytes(raw, 22, Buffer.alloc(16))));
    expect(verifyMessageAuthenticator(decode(wrong), secret)).toBe('invalid');
  });

  it('refuses User-Password outside Access-Request and fixed authenticators on signed requests', () => {
    expect(() =>
      encodeRequest({
        code: Code.AccountingRequest,
        identifier: 1,
        secret,
        attributes: [['User-Password', 'x']],
      }),
    ).toThrow(/User-Password/);
    expect(() =>
      encodeRequest({ code: Code.CoaRequest, identifier: 1, secret, authenticator: Buffer.alloc(16) }),
    ).toThrow(/computed/);
    expect(() => encodeRequest({ code: Code.AccessAccept, identifier: 1, secret })).toThrow(/not a request/);
  });
});
