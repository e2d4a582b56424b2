import { afterEach, describe, expect, it } from 'vitest';
import { getString } from './attribute.reader.ts';
import { verifyAccountingRequestAuthenticator } from './authenticator.ts';
import { Code } from './codes.ts';
import { sendCoa, sendDisconnect, sendDynamicAuthorization } from './dynamic-authorization.client.ts';
import { verifyMessageAuthenticator } from './message-authenticator.ts';
import { encodeResponse } from './packet.encoder.ts';
import type { Packet } from './packet.types.ts';
import { startFakePeer, type FakePeer } from './testing/fake-nas.ts';

const secret = 'coa-secret';
let nas: FakePeer | undefined;
afterEach(async () => {
  await nas?.close();
  nas = undefined;
});

/** What RouterOS does before acting: the RFC 5176 authenticator and Message-Authenticator checks. */
const authentic = (request: Packet) =>
  verifyAccountingRequestAuthenticator(request, secret) &&
  verifyMessageAuthenticator(request, secret) === 'valid';

const answer = (
  request: Packet,
  code: number,
  attributes: Parameters<typeof encodeResponse>[0]['attributes'] = [],
) =>
  encodeResponse({
    code,
    identifier: request.identifier,
    requestAuthenticator: request.authenticator,
    secret,
    attributes,
  });

const session = [
  ['User-Name', 'KASI-7QF2'],
  ['Acct-Session-Id', '81a00004'],
  ['Framed-IP-Address', '10.5.50.7'],
] as const;

describe('sendDynamicAuthorization', () => {
  it('reports ack when the NAS acknowledges a Disconnect-Request', async () => {
    nas = await startFakePeer((request) =>
      authentic(request) ? answer(request, Code.DisconnectAck) : answer(request, Code.DisconnectNak),
    );
    const result = await sendDisconnect({ host: '127.0.0.1', port: nas.port, secret, attributes: session });
    expect(result).toMatchObject({ status: 'ack', attempts: 1 });
    const [first] = nas.received;
    expect(first?.packet.code).toBe(Code.DisconnectRequest);
    expect(first && getString(first.packet, 'Acct-Session-Id')).toBe('81a00004');
    expect(first && verifyMessageAuthenticator(first.packet, secret)).toBe('valid');
  });

  it('reports nak with the Error-Cause a UI can show', async () => {
    nas = await startFakePeer((request) =>
      answer(request, Code.DisconnectNak, [['Error-Cause', 'Session-Context-Not-Found']]),
    );
    const result = await sendDisconnect({ host: '127.0.0.1', port: nas.port, secret, attributes: session });
    expect(result).toEqual({
      status: 'nak',
      attempts: 1,
      rttMs: expect.any(Number),
      errorCause: 503,
      errorCauseName: 'Session-Context-Not-Found',
    });
  });

  it('carries CoA changes and accepts a CoA-ACK', async () => {
    nas = await startFakePeer((request) => (authentic(request) ? answer(request, Code.CoaAck) : undefined));
    const result = await sendCoa({
      host: '127.0.0.1',
      port: nas.port,
      secret,
      attributes: [...session, ['Mikrotik-Rate-Limit', '2M/8M']],
    });
    expect(result.status).toBe('ack');
    expect(nas.received[0] && getString(nas.received[0].packet, 'Mikrotik-Rate-Limit')).toBe('2M/8M');
  });

  it('times out after the retries, resending the same bytes each time', async () => {
    nas = await startFakePeer(() => undefined);
    const started = performance.now();
    const result = await sendDisconnect({
      host: '127.0.0.1',
      port: nas.port,
      secret,
      attributes: session,
      timeoutMs: 40,
      retries: 2,
    });
    expect(result).toEqual({ status: 'timeout', attempts: 3 });
    expect(nas.received).toHaveLength(3);
    expect(new Set(nas.received.map((r) => r.datagram.toString('hex'))).size).toBe(1);
    // Backoff: 40 + 80 + 160 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(270);
  });

  it('succeeds on a retry when the first request is lost', async () => {
    nas = await startFakePeer((request, attempt) =>
      attempt === 1 ? undefined : answer(request, Code.CoaAck),
    );
    const result = await sendCoa({
      host: '127.0.0.1',
      port: nas.port,
      secret,
      attributes: session,
      timeoutMs: 40,
    });
    expect(result).toMatchObject({ status: 'ack', attempts: 2 });
  });

  it('ignores forged, mismatched and wrong-kind replies', async () => {
    nas = await startFakePeer((request) => {
      const forged = encodeResponse({
        code: Code.DisconnectAck,
        identifier: request.identifier,
        requestAuthenticator: request.authenticator,
        secret: 'not-the-secret',
      });
      const otherId = answer({ ...request, identifier: (request.identifier + 1) % 256 }, Code.DisconnectAck);
      const wrongKind = answer(request, Code.CoaAck);
      return [forged, otherId, wrongKind];
    });
    const result = await sendDynamicAuthorization({
      kind: 'disconnect',
      host: '127.0.0.1',
      port: nas.port,
      secret,
      attributes: session,
      timeoutMs: 30,
      retries: 1,
    });
    expect(result).toEqual({ status: 'timeout', attempts: 2 });
  });

  it('can leave Message-Authenticator out for NASes that choke on it', async () => {
    nas = await startFakePeer((request) => answer(request, Code.DisconnectAck));
    await sendDisconnect({
      host: '127.0.0.1',
      port: nas.port,
      secret,
      attributes: session,
      messageAuthenticator: false,
    });
    expect(nas.received[0] && verifyMessageAuthenticator(nas.received[0].packet, secret)).toBe('absent');
    expect(nas.received[0] && verifyAccountingRequestAuthenticator(nas.received[0].packet, secret)).toBe(
      true,
    );
  });
});
