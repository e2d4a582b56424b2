// What a browser sends back from navigator.credentials.create()/get(), as @simplewebauthn/browser
// serialises it (base64url strings). Bounded, so a forged response is refused before any parsing.
import { z } from 'zod';

const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'base64url');

const transports = z.array(z.string().max(20)).max(10).optional();
/** Not read: the server asks for no extensions (and answers with `{}` in their place). */
const extensions = z.unknown();
const attachment = z.enum(['platform', 'cross-platform']).optional();

export const passkeyName = z.string().trim().min(1).max(60);

export const registrationResponse = z.object({
  id: b64url(1024).min(1),
  rawId: b64url(1024).min(1),
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensions,
  response: z.object({
    clientDataJSON: b64url(8192).min(1),
    attestationObject: b64url(32768).min(1),
    authenticatorData: b64url(32768).optional(),
    transports,
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(8192).optional(),
  }),
});

export const authenticationResponse = z.object({
  id: b64url(1024).min(1),
  rawId: b64url(1024).min(1),
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensions,
  response: z.object({
    clientDataJSON: b64url(8192).min(1),
    authenticatorData: b64url(32768).min(1),
    signature: b64url(8192).min(1),
    userHandle: b64url(1024).optional(),
  }),
});

export type RegistrationResponseInput = z.infer<typeof registrationResponse>;
export type AuthenticationResponseInput = z.infer<typeof authenticationResponse>;
