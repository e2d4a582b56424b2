// A session opened for an owner or admin whose tenant requires two-factor, before they have
// it, may do nothing but enrol (and read who they are, and sign out). Applied to every tRPC
// procedure; other readers of the session cookie never see such a session (findSession).
import { forbidden } from '@kasi/domain';

export const OPEN_WHILE_ENROLLING: ReadonlySet<string> = new Set([
  // Signing in (again, or as someone else) does not use the session at all.
  'auth.login',
  'auth.secondStep',
  'auth.secondFactorOptions',
  'auth.passkeyStep',
  'auth.resetPassword',
  'auth.me',
  'auth.logout',
  'account.security',
  'account.startTwoFactor',
  'account.confirmTwoFactor',
  // A passkey satisfies the requirement as well as an authenticator app.
  'account.passkeys',
  'account.passkeyOptions',
  'account.addPasskey',
]);

export function assertEnrolmentGate(path: string, session: { mustEnrolTwoFactor: boolean } | null): void {
  if (session?.mustEnrolTwoFactor && !OPEN_WHILE_ENROLLING.has(path)) {
    throw forbidden('AUTH.TWO_FACTOR_ENROLMENT_REQUIRED', 'Set up two-factor sign-in before you go on');
  }
}
