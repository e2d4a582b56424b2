// `pnpm kasi user:reset-password --tenant S --email E`: prints a single-use reset link (30 minutes)
// for a member of the tenant, for the server's operator when nobody can sign in to the console.
import { and, eq, sql } from 'drizzle-orm';
import { memberships, tenants, users } from '@kasi/db';
import { invalid, notFound } from '@kasi/domain';
import type { Command } from '../cli/commands.ts';
import { loadConfig } from '../config.ts';
import { issuePasswordReset } from './password.service.ts';

const text = (v: unknown, key: string): string => {
  if (typeof v !== 'string' || !v) throw invalid('CLI.MISSING_OPTION', `--${key} is required`);
  return v;
};

export const resetPasswordCommand: Command = {
  summary: 'Print a single-use password reset link (valid 30 minutes) for a member of a tenant',
  usage: '--tenant S --email E',
  options: { tenant: { type: 'string' }, email: { type: 'string' } },
  run: async (app, a) => {
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
    const link = await issuePasswordReset(app, actor, { userId: row.userId });
    return { ...link, url: `${loadConfig().publicUrl.replace(/\/+$/, '')}${link.path}` };
  },
  describe: (r) => {
    const { url, email, expiresAt } = r as { url: string; email: string; expiresAt: Date };
    return `Reset link for ${email} (single use, until ${expiresAt.toISOString()}):\n${url}`;
  },
};
