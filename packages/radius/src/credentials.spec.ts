import { describe, expect, it } from 'vitest';
import { getAttribute } from './attribute.reader.ts';
import { chapResponse } from './chap.ts';
import { Code } from './codes.ts';
import { authMethod, checkPassword, getChapChallenge } from './credentials.ts';
import { decryptMppeKey } from './mppe.ts';
import { createMsChapV2Response } from './mschapv2.ts';
import { decodePacket } from './packet.decoder.ts';
import { encodeRequest, encodeResponseTo } from './packet.encoder.ts';
import type { Packet } from './packet.types.ts';
import type { AttributeList } from './attribute.encoder.ts';

const secret = 'nas-secret';
const authenticator = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

function request(attributes: AttributeList): Packet {
  const result = decodePacket(
    encodeRequest({ code: Code.AccessRequest, identifier: 1, secret, authenticator, attributes }),
  );
  if (!result.ok) throw new Error(result.reason);
  return result.packet;
}

describe('checkPassword', () => {
  it('checks PAP, including passwords over 16 bytes', () => {
    const short = request([
      ['User-Name', 'u'],
      ['User-Password', 'pw'],
    ]);
    expect(authMethod(short)).toBe('pap');
    expect(checkPassword(short, secret, 'pw')).toEqual({ ok: true, method: 'pap', replyAttributes: [] });
    expect(checkPassword(short, secret, 'pw2').ok).toBe(false);
    expect(checkPassword(short, 'other-secret', 'pw').ok).toBe(false);
    const long = request([['User-Password', 'a much longer voucher password']]);
    expect(checkPassword(long, secret, 'a much longer voucher password').ok).toBe(true);
  });

  it('checks CHAP against CHAP-Challenge (MikroTik hotspot http-chap)', () => {
    const challenge = Buffer.from('9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'hex');
    const packet = request([
      ['User-Name', 'u'],
      ['CHAP-Password', chapResponse({ ident: 3, password: 'KASI-7QF2', challenge })],
      ['CHAP-Challenge', challenge],
    ]);
    expect(getChapChallenge(packet)).toEqual(challenge);
    expect(checkPassword(packet, secret, 'KASI-7QF2')).toMatchObject({ ok: true, method: 'chap' });
    expect(checkPassword(packet, secret, 'KASI-7QF3').ok).toBe(false);
  });

  it('uses the Request Authenticator as the CHAP challenge when CHAP-Challenge is absent', () => {
    const packet = request([
      ['CHAP-Password', chapResponse({ ident: 1, password: 'pw', challenge: authenticator })],
    ]);
    expect(getChapChallenge(packet)).toEqual(authenticator);
    expect(checkPassword(packet, secret, 'pw').ok).toBe(true);
  });

  it('checks MS-CHAPv2 and returns MS-CHAP2-Success and salted MPPE keys for the reply', () => {
    const authenticatorChallenge = Buffer.alloc(16, 0x5a);
    const client = createMsChapV2Response({
      userName: 'pppoe-user',
      password: 'pw',
      authenticatorChallenge,
      ident: 4,
    });
    const packet = request([
      ['User-Name', 'pppoe-user'],
      ['MS-CHAP-Challenge', authenticatorChallenge],
      ['MS-CHAP2-Response', client.response],
    ]);
    const check = checkPassword(packet, secret, 'pw');
    expect(check).toMatchObject({ ok: true, method: 'mschapv2' });

    const reply = decodePacket(
      encodeResponseTo(packet, { code: Code.AccessAccept, secret, attributes: check.replyAttributes }),
    );
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const success = getAttribute(reply.packet, 'MS-CHAP2-Success');
    expect(success?.toString('latin1')).toBe(`\u0004${client.expectedAuthenticatorResponse}`);
    const sendKey = decryptMppeKey(
      getAttribute(reply.packet, 'MS-MPPE-Send-Key') ?? Buffer.alloc(0),
      secret,
      authenticator,
    );
    const recvKey = decryptMppeKey(
      getAttribute(reply.packet, 'MS-MPPE-Recv-Key') ?? Buffer.alloc(0),
      secret,
      authenticator,
    );
    expect(sendKey).toHaveLength(16);
    expect(recvKey).toHaveLength(16);
    expect(sendKey).not.toEqual(recvKey);
  });

  it('answers a failed MS-CHAPv2 login with MS-CHAP-Error E=691', () => {
    const authenticatorChallenge = Buffer.alloc(16, 0x11);
    const client = createMsChapV2Response({
      userName: 'u',
      password: 'right',
      authenticatorChallenge,
      ident: 9,
    });
    const packet = request([
      ['User-Name', 'u'],
      ['MS-CHAP-Challenge', authenticatorChallenge],
      ['MS-CHAP2-Response', client.response],
    ]);
    const check = checkPassword(packet, secret, 'wrong');
    expect(check.ok).toBe(false);
    const [[name, value] = []] = check.replyAttributes as [string, Buffer][];
    expect(name).toBe('MS-CHAP-Error');
    expect(value?.toString('latin1')).toBe(
      `\u0009E=691 R=0 C=${'11'.repeat(16)} V=3 M=Authentication failed`,
    );
  });

  it('reports requests without a password proof', () => {
    const packet = request([['User-Name', 'u']]);
    expect(authMethod(packet)).toBeUndefined();
    expect(checkPassword(packet, secret, 'pw')).toEqual({ ok: false, method: 'none', replyAttributes: [] });
  });
});
