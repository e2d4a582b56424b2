import { describe, expect, it } from 'vitest';
import { Code } from './codes.ts';
import { encodeRequest, encodeResponse } from './packet.encoder.ts';
import { verifyResponse } from './response.verifier.ts';

const secret = 'testing123';
const requestAuthenticator = Buffer.from('c0ffee00112233445566778899aabbcc', 'hex');

describe('verifyResponse', () => {
  it('can require Message-Authenticator and refuses requests', () => {
    const plain = encodeResponse({
      code: Code.AccountingResponse,
      identifier: 1,
      requestAuthenticator,
      secret,
    });
    expect(
      verifyResponse(plain, requestAuthenticator, secret, { requireMessageAuthenticator: true }),
    ).toEqual({
      ok: false,
      reason: 'missing_message_authenticator',
    });
    const request = encodeRequest({ code: Code.StatusServer, identifier: 1, secret });
    expect(verifyResponse(request, requestAuthenticator, secret)).toEqual({
      ok: false,
      reason: 'not_a_response',
    });
    expect(verifyResponse(Buffer.alloc(5), requestAuthenticator, secret)).toEqual({
      ok: false,
      reason: 'too_short',
    });
  });
});
