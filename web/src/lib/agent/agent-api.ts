// The agent app's online calls outside sync: logging in, enrolling, waiting for approval.
// Pages import this module on demand, so the tRPC client stays out of the first load.
import { isApiError } from '#lib/rpc/client.ts';
import { api } from '#lib/api.ts';
import { describeError } from '#lib/errors.ts';
import type { AgentProfile } from './agent-db.ts';
import { KeyTakenError, type RegisterDevice } from './enrolment.ts';
import { m } from '#lib/i18n/locale.ts';
import { PlainError } from './messages.ts';

/**
 * Logs in and returns the agent's profile for this phone. A phone already enrolled takes
 * only its own agent: another account's session would make every sync fail.
 */
export async function logInAgent(
  email: string,
  password: string,
  enrolledFor?: { userId: string; email: string },
): Promise<AgentProfile> {
  const session = await api.auth.login.mutate({ email, password });
  const refuse = async (message: string) => {
    await api.auth.logout.mutate().catch(() => undefined);
    return new PlainError(message);
  };
  if (session.role !== 'agent') {
    throw await refuse(m.agent_login_not_agent());
  }
  if (enrolledFor && enrolledFor.userId !== session.userId) {
    throw await refuse(m.agent_login_other_account({ email: enrolledFor.email }));
  }
  const { agent } = await api.agent.me.query();
  return {
    userId: session.userId,
    email: session.email,
    name: session.name,
    tenantName: session.tenantName,
    tenantLocale: session.tenantLocale,
    tenantTimeZone: session.tenantTimeZone,
    currency: agent.currency,
    commissionBps: agent.commissionBps,
  };
}

export const registerDevice: RegisterDevice = async (input) => {
  try {
    return await api.agent.registerDevice.mutate(input);
  } catch (e) {
    if (isApiError(e) && e.data?.domain?.code === 'DEVICE.KEY_TAKEN') throw new KeyTakenError();
    throw e;
  }
};

export const pullFeed = (deviceId: string, cursor: string | null) =>
  api.sync.pull.query({ deviceId, cursor });

/** A message for the agent; never a stack trace. */
export function describeAgentError(e: unknown): string {
  if (e instanceof PlainError) return e.message;
  // Kept in the console for whoever debugs the phone; the agent reads a plain message.
  if (!isApiError(e)) console.error(e);
  return describeError(e).message;
}
