// A minimal UDP RADIUS client: send one packet, retransmit the same bytes with exponential
// backoff, and settle on the first reply that matches the identifier and verifies.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Secret } from './md5-cipher.ts';
import type { Packet } from './packet.types.ts';
import { AUTHENTICATOR_OFFSET, HEADER_LENGTH } from './packet.types.ts';
import { verifyResponse } from './response.verifier.ts';

export interface RadiusRequestInput {
  host: string;
  port: number;
  secret: Secret;
  /** An encoded request (encodeRequest); retransmissions resend these exact bytes (RFC 5080 §2.2.1). */
  packet: Buffer;
  /** Wait for the first attempt; each retry waits `backoff` times longer. Default 1000 ms. */
  timeoutMs?: number;
  /** Retransmissions after the first attempt. Default 2. */
  retries?: number;
  /** Multiplier applied to the wait after each attempt. Default 2. */
  backoff?: number;
  /** Reply codes to accept; others are ignored like forgeries. Default: any reply code. */
  expectedCodes?: readonly number[];
  requireMessageAuthenticator?: boolean;
}

export type RadiusExchange =
  | { status: 'reply'; packet: Packet; attempts: number; rttMs: number }
  | { status: 'timeout'; attempts: number; lastError?: string };

export function radiusRequest(input: RadiusRequestInput): Promise<RadiusExchange> {
  if (input.packet.length < HEADER_LENGTH)
    return Promise.reject(new RangeError('packet is not a RADIUS request'));
  const socket = createSocket(isIPv6(input.host) ? 'udp6' : 'udp4');
  return new Promise<RadiusExchange>((resolve) => runExchange(socket, input, resolve)).finally(() =>
    socket.close(),
  );
}

function runExchange(
  socket: Socket,
  input: RadiusRequestInput,
  settle: (result: RadiusExchange) => void,
): void {
  const identifier = input.packet.readUInt8(1);
  const requestAuthenticator = input.packet.subarray(AUTHENTICATOR_OFFSET, HEADER_LENGTH);
  const retries = input.retries ?? 2;
  const backoff = input.backoff ?? 2;
  let wait = input.timeoutMs ?? 1000;
  let attempts = 0;
  let lastError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const startedAt = performance.now();
  const finish = (result: RadiusExchange) => {
    clearTimeout(timer);
    socket.removeAllListeners('message');
    settle(result);
  };
  const attempt = () => {
    if (attempts > retries)
      return finish({ status: 'timeout', attempts, ...(lastError ? { lastError } : {}) });
    attempts++;
    socket.send(input.packet, input.port, input.host, (error) => {
      if (error) lastError = error.message;
    });
    timer = setTimeout(attempt, wait);
    wait *= backoff;
  };
  socket.on('error', (error) => (lastError = error.message));
  socket.on('message', (message) => {
    if (message.length < HEADER_LENGTH || message.readUInt8(1) !== identifier) return;
    const verified = verifyResponse(message, requestAuthenticator, input.secret, input);
    if (!verified.ok) return;
    if (input.expectedCodes && !input.expectedCodes.includes(verified.packet.code)) return;
    finish({ status: 'reply', packet: verified.packet, attempts, rttMs: performance.now() - startedAt });
  });
  attempt();
}
