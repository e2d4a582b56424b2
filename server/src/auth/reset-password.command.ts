// `pnpm kasi user:reset-password` and `user:reset-2fa` (--tenant S --email E): account recovery for
// the server's operator when nobody can sign in to the console — a single-use reset link (30
// minutes), or removing a two-factor enrolment whose phone and recovery codes are both lost.
import { and, eq, sql } from 'drizzle-orm';
import { memberships, tenants, users } from '@kasi/db';
import { invalid, notFound } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import type { CommandArgs, Command } from '../cli/commands.ts';
import { loadConfig } from '../config.ts';
import { issuePasswordReset } from './password.service.ts';
import { removeMemberTwoFactor } from './two-factor.service.ts';

const text = (v: unknown, key: string): string => {
  if (typeof v !== 'string' || !v) throw invalid('CLI.MISSING_OPTION', `--${key} is required`);
  return v;
};

/** The member of the tenant with this email, and the CLI acting as the tenant's owner. */
async function cliMember(app: AppContext, a: CommandArgs) {
  const slug = text(a.tenant, 'tenant');
  const email = text(a.email, 'email').trim().toLowerCase();
  const [row] = await app.db
    .select({ tenantId: tenants.id, userId: users.id })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(tenants.slug, slug), eq(sql`lower(${users.email})`, email)));
  if (!row) throw notFound('MEMBER.NOT_FOUND', `No member ${email} in tenant "${slug}"`);
  const actor = {
    tenantId: row.tenantId,
    userId: null,
    label: 'cli',
    role: 'owner',
    requestId: null,
  } as const;
  return { actor, userId: row.userId };
}

const options = { tenant: { type: 'string' }, email: { type: 'string' } } as const;

export const resetPasswordCommand: Command = {
  summary: 'Print a single-use password reset link (valid 30 minutes) for a member of a tenant',
  usage: '--tenant S --email E',
  options,
  run: async (app, a) => {
    const { actor, userId } = await cliMember(app, a);
    const link = await issuePasswordReset(app, actor, { userId });
    return { ...link, url: `${loadConfig().publicUrl.replace(/\/+$/, '')}${link.path}` };
  },
  describe: (r) => {
    const { url, email, expiresAt } = r as { url: string; email: string; expiresAt: Date };
    return `Reset link for ${email} (single use, until ${expiresAt.toISOString()}):\n${url}`;
  },
};

export const resetTwoFactorCommand: Command = {
  summary: 'Remove a member’s two-factor sign-in (phone and recovery codes lost); they enrol again',
  usage: '--tenant S --email E',
  options,
  run: async (app, a) => {
    const { actor, userId } = await cliMember(app, a);
    return removeMemberTwoFactor(app, actor, { userId });
  },
  describe: (r) => {
    const { email, removed } = r as { email: string; removed: boolean };
    return removed ? `Two-factor sign-in removed for ${email}.` : `${email} had no two-factor sign-in.`;
  },
};
