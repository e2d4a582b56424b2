import { describe, expect, it } from 'vitest';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Role } from '@kasi/domain';
import { assertProcedureAccess, procedureGuard } from './procedure-guard.ts';

// A router whose paths are real table entries plus one the table does not know.
const t = initTRPC.context<{ session: { role: Role } | null }>().create();
const guarded = t.procedure.use(procedureGuard);
const ran: string[] = [];
const api = t.router({
  voucher: t.router({ void: guarded.mutation(() => ran.push('voucher.void')) }),
  auth: t.router({ me: guarded.query(() => ran.push('auth.me')) }),
  secret: t.router({ undecided: guarded.query(() => ran.push('secret.undecided')) }),
});
const callerAs = (role: Role | null) => t.createCallerFactory(api)({ session: role ? { role } : null });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof TRPCError ? e.code : 'thrown';
  }
}

describe('procedure guard', () => {
  it('refuses a role without the permission before the procedure runs', async () => {
    ran.length = 0;
    await expect(callerAs('viewer').voucher.void()).rejects.toMatchObject({
      cause: { code: 'AUTH.FORBIDDEN' },
    });
    expect(ran).toEqual([]);
    await callerAs('operator').voucher.void();
    expect(ran).toEqual(['voucher.void']);
  });

  it('lets any signed-in user call a self procedure, and nobody an undecided one', async () => {
    expect(await codeOf(callerAs('agent').auth.me())).toBe('ok');
    ran.length = 0;
    await expect(callerAs('owner').secret.undecided()).rejects.toMatchObject({
      cause: { code: 'AUTH.UNDECIDED_PROCEDURE', kind: 'forbidden' },
    });
    expect(ran).toEqual([]);
  });

  it('asks callers without a session to log in', () => {
    expect(() => assertProcedureAccess('voucher.void', null)).toThrow(
      expect.objectContaining({ code: 'AUTH.NO_SESSION', kind: 'unauthenticated' }),
    );
    expect(() => assertProcedureAccess('auth.login', null)).not.toThrow();
  });
});
