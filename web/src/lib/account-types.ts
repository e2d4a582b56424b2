// Shapes of the account and member API answers, read off the router type (no server code).
import type { api } from './api.ts';

type Output<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type SecurityStatus = Output<typeof api.account.security.query>;
export type Enrolment = Output<typeof api.account.startTwoFactor.mutate>;
export type SignInSession = Output<typeof api.account.sessions.query>[number];
export type Member = Output<typeof api.member.list.query>[number];
export type ResetLink = Output<typeof api.member.resetPassword.mutate>;
export type Passkey = Output<typeof api.account.passkeys.query>[number];
