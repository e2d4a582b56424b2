// @kasi/radius: RADIUS wire protocol for Kasi (RFC 2865/2866/2869/3579/5176/5997), the
// authentication primitives RouterOS logins need (PAP, CHAP, MS-CHAPv2 + MPPE), and a small client.

export {
  Code,
  codeName,
  isKnownCode,
  isRequestCode,
  isResponseCode,
  isAccessReplyCode,
  hasRandomAuthenticator,
  hasSignedRequestAuthenticator,
} from './codes.ts';
export type { CodeName } from './codes.ts';

export {
  attributeDefinition,
  findAttributeByName,
  findAttributeByCode,
  isAttributeName,
  allAttributeDefinitions,
  valueName,
  valueNumber,
} from './dictionary.ts';
export type { AttributeName, AttributeValue, AttributeValueName } from './dictionary.ts';
export type { AttributeDefinition, AttributeSpec, DataType, Encryption } from './dictionary.types.ts';
export { Vendor } from './dictionary.vendors.ts';
export {
  acctStatusType,
  acctTerminateCause,
  errorCause,
  nasPortType,
  serviceType,
} from './dictionary.values.ts';

export { decodePacket } from './packet.decoder.ts';
export { MAX_PACKET_LENGTH } from './packet.types.ts';
export type { Packet, RawAttribute, DropReason, DecodeResult } from './packet.types.ts';

export {
  getAttribute,
  getAll,
  hasAttribute,
  findAttributes,
  getString,
  getText,
  getInteger,
  getInteger64,
  getIpAddress,
  getIpv6Address,
  getIpv6Prefix,
  getDate,
  getValue,
  getValueName,
  describeAttributes,
} from './attribute.reader.ts';
export type { AttributeSource, TextProblem, TextRead } from './attribute.reader.ts';
export { maskUserName } from './credential-mask.ts';

export { encodeAttributes } from './attribute.encoder.ts';
export type {
  AttributeEntry,
  AttributeInput,
  AttributeList,
  AttributeObject,
  EncryptionContext,
} from './attribute.encoder.ts';
export { AttributeError, encodeValue, decodeValue } from './value.codec.ts';
export type { PlainValue, DecodedValue } from './value.codec.ts';
export { encodeRequest, encodeResponse, encodeResponseTo } from './packet.encoder.ts';
export type { EncodeRequestInput, EncodeResponseInput } from './packet.encoder.ts';

export {
  verifyAccountingRequestAuthenticator,
  verifyResponseAuthenticator,
  computeAuthenticator,
} from './authenticator.ts';
export { verifyMessageAuthenticator } from './message-authenticator.ts';
export type {
  MessageAuthenticatorStatus,
  VerifyMessageAuthenticatorOptions,
} from './message-authenticator.ts';
export { verifyResponse } from './response.verifier.ts';
export type { VerifyResponseResult, VerifyResponseOptions, ResponseRejection } from './response.verifier.ts';

export type { Secret } from './md5-cipher.ts';
export { encryptUserPassword, decryptUserPassword, MAX_PASSWORD_LENGTH } from './user-password.ts';
export { verifyChap, chapResponse } from './chap.ts';
export type { ChapInput } from './chap.ts';
export {
  verifyMsChapV2,
  createMsChapV2Response,
  ntPasswordHash,
  challengeHash,
  challengeResponse,
  generateNtResponse,
  generateAuthenticatorResponse,
} from './mschapv2.ts';
export type { MsChapV2Input, MsChapV2Result, MsChapV2ClientInput, NtResponseInput } from './mschapv2.ts';
export { mppeMasterKey, mppeStartKey, mppeServerKeys, encryptMppeKey, decryptMppeKey } from './mppe.ts';
export { md4 } from './md4.ts';
export { authMethod, checkPassword, getUserPassword, getChapChallenge } from './credentials.ts';
export type { AuthMethod, PasswordCheck } from './credentials.ts';

export { radiusRequest } from './radius.client.ts';
export type { RadiusRequestInput, RadiusExchange } from './radius.client.ts';
export {
  sendDynamicAuthorization,
  sendDisconnect,
  sendCoa,
  DYNAMIC_AUTHORIZATION_PORT,
} from './dynamic-authorization.client.ts';
export type {
  DynamicAuthorizationInput,
  DynamicAuthorizationResult,
} from './dynamic-authorization.client.ts';
