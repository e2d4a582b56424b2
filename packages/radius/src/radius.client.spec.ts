import { afterEach, describe, expect, it } from 'vitest';
import { Code } from './codes.ts';
import { checkPassword } from './credentials.ts';
import { encodeRequest, encodeResponseTo } from './packet.encoder.ts';
import { radiusRequest } from './radius.client.ts';
import { startFakePeer, type FakePeer } from './testing/fake-nas.ts';

const secret = 'auth-secret';
let server: FakePeer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('radiusRequest', () => {
  it('gets a verified reply from a server', async () => {
    server = await startFakePeer((request) => {
      const accept = checkPassword(request, secret, 'correct horse').ok;
      return encodeResponseTo(request, { code: accept ? Code.AccessAccept : Code.AccessReject, secret });
    });
    const ask = (password: string) =>
      radiusRequest({
        host: '127.0.0.1',
        port: server?.port ?? 0,
        secret,
        packet: encodeRequest({
          code: Code.AccessRequest,
          identifier: 1,
          secret,
          attributes: [
            ['User-Name', 'u'],
            ['User-Password', password],
          ],
        }),
        requireMessageAuthenticator: true,
      });
    const accepted = await ask('correct horse');
    expect(accepted.status === 'reply' && accepted.packet.code).toBe(Code.AccessAccept);
    expect(accepted).toMatchObject({ attempts: 1 });
    const rejected = await ask('wrong');
    expect(rejected.status === 'reply' && rejected.packet.code).toBe(Code.AccessReject);
  });

  it('treats a reply without Message-Authenticator as missing when it is required', async () => {
    server = await startFakePeer((request) =>
      encodeResponseTo(request, { code: Code.AccountingResponse, secret }),
    );
    const packet = encodeRequest({
      code: Code.AccountingRequest,
      identifier: 2,
      secret,
      attributes: [['Acct-Status-Type', 'Start']],
    });
    const lenient = await radiusRequest({ host: '127.0.0.1', port: server.port, secret, packet });
    expect(lenient.status).toBe('reply');
    const strict = await radiusRequest({
      host: '127.0.0.1',
      port: server.port,
      secret,
      packet,
      timeoutMs: 20,
      retries: 0,
      requireMessageAuthenticator: true,
    });
    expect(strict).toEqual({ status: 'timeout', attempts: 1 });
  });

  it('refuses a buffer that cannot be a request', async () => {
    await expect(
      radiusRequest({ host: '127.0.0.1', port: 1812, secret, packet: Buffer.alloc(4) }),
    ).rejects.toThrow(RangeError);
  });
});
