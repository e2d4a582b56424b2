import { describe, expect, it } from 'vitest';
import {
  challengeHash,
  createMsChapV2Response,
  generateAuthenticatorResponse,
  generateNtResponse,
  ntPasswordHash,
  verifyMsChapV2,
} from './mschapv2.ts';
import { md4 } from './md4.ts';
import { mppeServerKeys } from './mppe.ts';

const hex = (text: string) => Buffer.from(text.replaceAll(' ', ''), 'hex');

// RFC 2759 §9.2 "Sample Values".
const userName = 'User';
const password = 'clientPass';
const authenticatorChallenge = hex('5B5D7C7D7B3F2F3E3C2C602132262628');
const peerChallenge = hex('21402324255E262A28295F2B3A337C7E');
const expectedNtResponse = hex('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF');
const expectedAuthenticatorResponse = 'S=407A5589115FD0D6209F510FE9C04566932CDA56';

describe('MS-CHAPv2 (RFC 2759 §9.2 vectors)', () => {
  it('computes ChallengeHash', () => {
    expect(challengeHash(peerChallenge, authenticatorChallenge, userName)).toEqual(hex('D02E4386BCE91226'));
  });

  it('computes the NT password hash and its hash', () => {
    const hash = ntPasswordHash(password);
    expect(hash).toEqual(hex('44EBBA8D5312B8D611474411F56989AE'));
    expect(md4(hash)).toEqual(hex('41C00C584BD2D91C4017A2A12FA59F3F'));
  });

  it('computes the NT-Response', () => {
    const passwordHash = ntPasswordHash(password);
    expect(generateNtResponse({ authenticatorChallenge, peerChallenge, userName, passwordHash })).toEqual(
      expectedNtResponse,
    );
  });

  it('computes the AuthenticatorResponse', () => {
    const passwordHash = ntPasswordHash(password);
    const fields = {
      authenticatorChallenge,
      peerChallenge,
      userName,
      passwordHash,
      ntResponse: expectedNtResponse,
    };
    expect(generateAuthenticatorResponse(fields)).toBe(expectedAuthenticatorResponse);
  });
});

describe('verifyMsChapV2', () => {
  const client = createMsChapV2Response({
    userName,
    password,
    authenticatorChallenge,
    peerChallenge,
    ident: 7,
  });

  it('builds the 50-byte MS-CHAP2-Response of RFC 2548 §2.3.2', () => {
    expect(client.response).toHaveLength(50);
    expect(client.response[0]).toBe(7);
    expect(client.response.subarray(26)).toEqual(expectedNtResponse);
  });

  it('accepts the right password and returns MS-CHAP2-Success with the ident and MPPE keys', () => {
    const result = verifyMsChapV2({ userName, password, authenticatorChallenge, response: client.response });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.successAttribute).toEqual(
      Buffer.concat([Buffer.from([7]), Buffer.from(expectedAuthenticatorResponse)]),
    );
    expect(result.sendKey).toEqual(hex('8B7CDC149B993A1BA118CB153F56DCCB'));
    expect(result).toMatchObject(mppeServerKeys(ntPasswordHash(password), expectedNtResponse));
  });

  it('accepts a stored NT hash instead of the clear password', () => {
    const passwordHash = ntPasswordHash(password);
    expect(
      verifyMsChapV2({ userName, passwordHash, authenticatorChallenge, response: client.response }).ok,
    ).toBe(true);
  });

  it('rejects a wrong password, a wrong user name, and a different challenge', () => {
    const base = { userName, password, authenticatorChallenge, response: client.response };
    expect(verifyMsChapV2({ ...base, password: 'clientPasS' }).ok).toBe(false);
    expect(verifyMsChapV2({ ...base, userName: 'user' }).ok).toBe(false);
    expect(verifyMsChapV2({ ...base, authenticatorChallenge: Buffer.alloc(16) }).ok).toBe(false);
  });

  it('rejects malformed attribute lengths without throwing', () => {
    const base = { userName, password, authenticatorChallenge, response: client.response };
    expect(verifyMsChapV2({ ...base, response: client.response.subarray(0, 49) }).ok).toBe(false);
    expect(
      verifyMsChapV2({ ...base, authenticatorChallenge: authenticatorChallenge.subarray(0, 8) }).ok,
    ).toBe(false);
    const shortHash = {
      userName,
      passwordHash: Buffer.alloc(3),
      authenticatorChallenge,
      response: client.response,
    };
    expect(verifyMsChapV2(shortHash).ok).toBe(false);
  });

  it('round-trips random challenges and non-ASCII passwords', () => {
    const created = createMsChapV2Response({
      userName: 'wanjiru',
      password: 'päss-wörd',
      authenticatorChallenge,
    });
    const ok = verifyMsChapV2({
      userName: 'wanjiru',
      password: 'päss-wörd',
      authenticatorChallenge,
      response: created.response,
    });
    expect(ok.ok && ok.successAttribute.subarray(1).toString()).toBe(created.expectedAuthenticatorResponse);
  });
});
