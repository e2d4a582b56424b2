// Sends Disconnect-Request / CoA-Request to a NAS (RFC 5176), e.g. to kick a subscriber whose
// voucher ran out or to change a rate limit live. RouterOS listens on UDP 3799 when
// `/radius incoming set accept=yes`. The result is a plain value a UI can show as-is.
import { randomInt } from 'node:crypto';
import { getInteger } from './attribute.reader.ts';
import type { AttributeList } from './attribute.encoder.ts';
import { Code } from './codes.ts';
import { attributeDefinition, valueName } from './dictionary.ts';
import type { Secret } from './md5-cipher.ts';
import { encodeRequest } from './packet.encoder.ts';
import { radiusRequest } from './radius.client.ts';

export const DYNAMIC_AUTHORIZATION_PORT = 3799;

export interface DynamicAuthorizationInput {
  host: string;
  port?: number;
  secret: Secret;
  /** 'disconnect' ends the session; 'coa' changes it (new Mikrotik-Rate-Limit, Session-Timeout...). */
  kind: 'disconnect' | 'coa';
  /** Session identification (User-Name, Acct-Session-Id, Framed-IP-Address...) plus any changes. */
  attributes: AttributeList;
  timeoutMs?: number;
  retries?: number;
  /** Sign with Message-Authenticator (RFC 5176 §3.4 rules). Default true. */
  messageAuthenticator?: boolean;
  identifier?: number;
}

export type DynamicAuthorizationResult =
  | { status: 'ack'; attempts: number; rttMs: number; errorCause?: number; errorCauseName?: string }
  | { status: 'nak'; attempts: number; rttMs: number; errorCause?: number; errorCauseName?: string }
  | { status: 'timeout'; attempts: number; lastError?: string };

const codes = {
  disconnect: { request: Code.DisconnectRequest, ack: Code.DisconnectAck, nak: Code.DisconnectNak },
  coa: { request: Code.CoaRequest, ack: Code.CoaAck, nak: Code.CoaNak },
} as const;

export async function sendDynamicAuthorization(
  input: DynamicAuthorizationInput,
): Promise<DynamicAuthorizationResult> {
  const { request, ack, nak } = codes[input.kind];
  const packet = encodeRequest({
    code: request,
    identifier: input.identifier ?? randomInt(256),
    attributes: input.attributes,
    secret: input.secret,
    messageAuthenticator: input.messageAuthenticator ?? true,
  });
  const exchange = await radiusRequest({
    host: input.host,
    port: input.port ?? DYNAMIC_AUTHORIZATION_PORT,
    secret: input.secret,
    packet,
    timeoutMs: input.timeoutMs ?? 1000,
    retries: input.retries ?? 2,
    expectedCodes: [ack, nak],
  });
  if (exchange.status === 'timeout') return exchange;
  const errorCause = getInteger(exchange.packet, 'Error-Cause');
  const causeName =
    errorCause === undefined ? undefined : valueName(attributeDefinition('Error-Cause'), errorCause);
  return {
    status: exchange.packet.code === ack ? 'ack' : 'nak',
    attempts: exchange.attempts,
    rttMs: exchange.rttMs,
    ...(errorCause === undefined ? {} : { errorCause }),
    ...(causeName === undefined ? {} : { errorCauseName: causeName }),
  };
}

export const sendDisconnect = (input: Omit<DynamicAuthorizationInput, 'kind'>) =>
  sendDynamicAuthorization({ ...input, kind: 'disconnect' });

export const sendCoa = (input: Omit<DynamicAuthorizationInput, 'kind'>) =>
  sendDynamicAuthorization({ ...input, kind: 'coa' });
