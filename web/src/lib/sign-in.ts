// The two sign-in steps as the login page sees them: the password step either signs in or
// says a second factor is due (a typed refusal; the challenge itself is an HttpOnly cookie).
import { isApiError } from '#lib/rpc/client.ts';
import { resolve } from '$app/paths';
import { api, type Session } from './api.ts';
import { homeFor } from './home-for.ts';

export type PasswordOutcome = { kind: 'session'; session: Session } | { kind: 'second_factor' };

export function hasDomainCode(e: unknown, code: string): boolean {
  return isApiError(e) && e.data?.domain?.code === code;
}

export const isSecondFactorDue = (e: unknown) => hasDomainCode(e, 'AUTH.SECOND_FACTOR_REQUIRED');

export async function signInWithPassword(value: {
  email: string;
  password: string;
}): Promise<PasswordOutcome> {
  try {
    return { kind: 'session', session: await api.auth.login.mutate(value) };
  } catch (e) {
    if (isSecondFactorDue(e)) return { kind: 'second_factor' };
    throw e;
  }
}

/** Where a new session goes: enrolment first when the tenant requires it, else the role's home. */
export function landingFor(session: Pick<Session, 'role' | 'mustEnrolTwoFactor'>): string {
  return session.mustEnrolTwoFactor ? resolve('/(app)/account') : homeFor(session.role);
}
