// The console language a person chose for themselves (ADR 0030). Users are global, so the
// choice follows them to every organisation they belong to and every device they sign in on;
// null goes back to the tenant's language.
import { eq } from 'drizzle-orm';
import { users, writeAudit } from '@kasi/db';
import { forbidden, type UserLocale } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';

export async function setOwnLocale(
  app: AppContext,
  actor: Actor,
  input: { locale: UserLocale | null },
): Promise<{ locale: UserLocale | null }> {
  const userId = actor.userId;
  if (!userId) throw forbidden('AUTH.NOT_A_USER', 'Only a signed-in person has a language of their own');
  return app.db.transaction(async (tx) => {
    const [before] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
    await tx.update(users).set({ locale: input.locale }).where(eq(users.id, userId));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'user.locale.change',
      entityType: 'user',
      entityId: userId,
      before: { locale: before?.locale ?? null },
      after: { locale: input.locale },
    });
    return { locale: input.locale };
  });
}
