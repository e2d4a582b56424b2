// Option helpers for CLI commands kept in their own area's files (subscriber.commands.ts):
// a required or optional option, and the tenant's CLI actor.
import { eq } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { invalid, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import type { CommandArgs } from './commands.ts';

export function need(args: CommandArgs, key: string): string {
  const v = args[key];
  if (typeof v !== 'string' || !v) throw invalid('CLI.MISSING_OPTION', `--${key} is required`);
  return v;
}

export const optional = (args: CommandArgs, key: string) =>
  typeof args[key] === 'string' ? (args[key] as string) : undefined;

export async function cliActor(app: AppContext, args: CommandArgs): Promise<Actor> {
  const slug = need(args, 'tenant');
  const [t] = await app.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  if (!t) throw notFound('TENANT.NOT_FOUND', `No tenant "${slug}"`);
  return { tenantId: t.id, userId: null, label: 'cli', role: 'owner', requestId: null };
}
