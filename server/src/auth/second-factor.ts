// Checks a second factor and spends it: a TOTP code moves the user's last accepted time step
// forward, a recovery code is marked used. Both are conditional updates, so of two requests
// carrying the same code only one succeeds.
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { userRecoveryCodes, userTwoFactor, type Executor } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import { matchTotp } from './totp.ts';

export type SecondFactorMethod = 'totp' | 'recovery_code';

/** Bound into the ciphertext: a sealed secret cannot be moved to another user's row. */
export const totpPurpose = (userId: string) => `user.totp/${userId}`;

export async function readTotpSecret(
  app: AppContext,
  db: Executor,
  row: { userId: string; tenantId: string; secretSealed: string },
): Promise<string> {
  return app.keyring.decrypt(db, row.tenantId, totpPurpose(row.userId), row.secretSealed);
}

/** Confirmed enrolment of this user, if any. */
export async function findTwoFactor(db: Executor, userId: string) {
  const [row] = await db
    .select()
    .from(userTwoFactor)
    .where(and(eq(userTwoFactor.userId, userId), isNotNull(userTwoFactor.confirmedAt)));
  return row ?? null;
}

/** Six digits are a TOTP code; anything else is tried as a recovery code. */
export async function spendSecondFactor(
  app: AppContext,
  db: Executor,
  userId: string,
  code: string,
  epochSeconds?: number,
): Promise<SecondFactorMethod | null> {
  const enrolment = await findTwoFactor(db, userId);
  if (!enrolment) return null;
  if (/^\s*\d{3}\s?\d{3}\s*$/.test(code)) {
    const step = await matchTotp({
      secret: await readTotpSecret(app, db, enrolment),
      code,
      lastTimeStep: enrolment.lastTimeStep,
      ...(epochSeconds !== undefined && { epochSeconds }),
    });
    if (step === null) return null;
    const taken = await db
      .update(userTwoFactor)
      .set({ lastTimeStep: step })
      .where(
        and(
          eq(userTwoFactor.userId, userId),
          or(isNull(userTwoFactor.lastTimeStep), lt(userTwoFactor.lastTimeStep, step)),
        ),
      )
      .returning({ userId: userTwoFactor.userId });
    return taken.length ? 'totp' : null;
  }
  const used = await db
    .update(userRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(userRecoveryCodes.userId, userId),
        eq(userRecoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(userRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: userRecoveryCodes.id });
  return used.length ? 'recovery_code' : null;
}
