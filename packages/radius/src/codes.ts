// RADIUS packet codes (RFC 2865, 2866, 5176, 5997) and which side of an exchange each one is.
// A const object rather than an enum: Node runs these files with type stripping only.

export const Code = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;

export type Code = (typeof Code)[keyof typeof Code];
export type CodeName = keyof typeof Code;

const names = new Map<number, CodeName>(Object.entries(Code).map(([name, code]) => [code, name as CodeName]));

export function isKnownCode(code: number): code is Code {
  return names.has(code);
}

/** 'AccessRequest' for 1; undefined for codes this library does not speak. */
export function codeName(code: number): CodeName | undefined {
  return names.get(code);
}

/** Requests whose authenticator is random (the client's nonce); all other requests are signed with MD5. */
export function hasRandomAuthenticator(code: number): boolean {
  return code === Code.AccessRequest || code === Code.StatusServer;
}

/** Requests whose Request Authenticator is MD5(packet with zeroed authenticator + secret). */
export function hasSignedRequestAuthenticator(code: number): boolean {
  return code === Code.AccountingRequest || code === Code.DisconnectRequest || code === Code.CoaRequest;
}

export function isRequestCode(code: number): boolean {
  return hasRandomAuthenticator(code) || hasSignedRequestAuthenticator(code);
}

export function isResponseCode(code: number): boolean {
  return isKnownCode(code) && !isRequestCode(code);
}

/** Replies that BlastRADIUS guidance says must always carry Message-Authenticator, first. */
export function isAccessReplyCode(code: number): boolean {
  return code === Code.AccessAccept || code === Code.AccessReject || code === Code.AccessChallenge;
}
