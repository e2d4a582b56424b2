// MS-CHAPv2 (RFC 2759) as carried in RADIUS (RFC 2548): verifying the peer's NT-Response,
// building MS-CHAP2-Success, and deriving the MPPE keys. Client-side helpers exist for tests and bench.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { desEncryptBlock, expandDesKey } from './des.ts';
import { md4 } from './md4.ts';
import { mppeServerKeys } from './mppe.ts';

const SIGNING_MAGIC = Buffer.from('Magic server to client signing constant', 'ascii');
const PAD_MAGIC = Buffer.from('Pad to make it do more than one iteration', 'ascii');

/** Length of the MS-CHAP2-Response value: ident, flags, peer challenge, reserved, NT-Response. */
export const MSCHAPV2_RESPONSE_LENGTH = 50;

export type MsChapV2Secret = { password: string } | { passwordHash: Buffer };

export type MsChapV2Input = MsChapV2Secret & {
  userName: string | Buffer;
  /** The 16-byte MS-CHAP-Challenge value. */
  authenticatorChallenge: Buffer;
  /** The 50-byte MS-CHAP2-Response value. */
  response: Buffer;
};

export type MsChapV2Result =
  | { ok: false }
  | {
      ok: true;
      /** The MS-CHAP2-Success value: ident + "S=<40 upper-case hex>". */
      successAttribute: Buffer;
      /** Server-side MPPE keys, to send (salted) as MS-MPPE-Send-Key and MS-MPPE-Recv-Key. */
      sendKey: Buffer;
      recvKey: Buffer;
    };

const sha1 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha1')).digest();
const bytes = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

/** NtPasswordHash: MD4 of the password in UTF-16LE. */
export function ntPasswordHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** ChallengeHash: the first 8 bytes of SHA1(PeerChallenge + AuthenticatorChallenge + UserName). */
export function challengeHash(
  peerChallenge: Buffer,
  authenticatorChallenge: Buffer,
  userName: string | Buffer,
): Buffer {
  return sha1(peerChallenge, authenticatorChallenge, bytes(userName)).subarray(0, 8);
}

/** ChallengeResponse: the 16-byte hash zero-padded to 21 bytes, cut into three DES keys. */
export function challengeResponse(challenge: Buffer, passwordHash: Buffer): Buffer {
  const keys = Buffer.alloc(21);
  passwordHash.copy(keys);
  return Buffer.concat(
    [0, 7, 14].map((at) => desEncryptBlock(expandDesKey(keys.subarray(at, at + 7)), challenge)),
  );
}

export interface NtResponseInput {
  authenticatorChallenge: Buffer;
  peerChallenge: Buffer;
  userName: string | Buffer;
  passwordHash: Buffer;
}

export function generateNtResponse(input: NtResponseInput): Buffer {
  const challenge = challengeHash(input.peerChallenge, input.authenticatorChallenge, input.userName);
  return challengeResponse(challenge, input.passwordHash);
}

/** GenerateAuthenticatorResponse: "S=" + 40 upper-case hex digits proving the server knew the password. */
export function generateAuthenticatorResponse(input: NtResponseInput & { ntResponse: Buffer }): string {
  const digest = sha1(md4(input.passwordHash), input.ntResponse, SIGNING_MAGIC);
  const challenge = challengeHash(input.peerChallenge, input.authenticatorChallenge, input.userName);
  return `S=${sha1(digest, challenge, PAD_MAGIC).toString('hex').toUpperCase()}`;
}

export function verifyMsChapV2(input: MsChapV2Input): MsChapV2Result {
  const { response, authenticatorChallenge } = input;
  if (response.length !== MSCHAPV2_RESPONSE_LENGTH || authenticatorChallenge.length !== 16)
    return { ok: false };
  const passwordHash = 'passwordHash' in input ? input.passwordHash : ntPasswordHash(input.password);
  if (passwordHash.length !== 16) return { ok: false };
  const ident = response.subarray(0, 1);
  const peerChallenge = response.subarray(2, 18);
  const ntResponse = response.subarray(26, 50);
  const fields = { authenticatorChallenge, peerChallenge, userName: input.userName, passwordHash };
  if (!timingSafeEqual(generateNtResponse(fields), ntResponse)) return { ok: false };
  const authenticatorResponse = generateAuthenticatorResponse({ ...fields, ntResponse });
  return {
    ok: true,
    successAttribute: Buffer.concat([ident, Buffer.from(authenticatorResponse, 'ascii')]),
    ...mppeServerKeys(passwordHash, ntResponse),
  };
}

export interface MsChapV2ClientInput {
  userName: string | Buffer;
  password: string;
  authenticatorChallenge: Buffer;
  peerChallenge?: Buffer;
  ident?: number;
}

/** What a PPP client (the NAS, relaying it) would send: the MS-CHAP2-Response value and what to expect back. */
export function createMsChapV2Response(input: MsChapV2ClientInput): {
  response: Buffer;
  ntResponse: Buffer;
  peerChallenge: Buffer;
  expectedAuthenticatorResponse: string;
} {
  const peerChallenge = input.peerChallenge ?? randomBytes(16);
  const passwordHash = ntPasswordHash(input.password);
  const fields = {
    authenticatorChallenge: input.authenticatorChallenge,
    peerChallenge,
    userName: input.userName,
    passwordHash,
  };
  const ntResponse = generateNtResponse(fields);
  const response = Buffer.concat([
    Buffer.from([input.ident ?? 0, 0]),
    peerChallenge,
    Buffer.alloc(8),
    ntResponse,
  ]);
  const expectedAuthenticatorResponse = generateAuthenticatorResponse({ ...fields, ntResponse });
  return { response, ntResponse, peerChallenge, expectedAuthenticatorResponse };
}
