// `/ip/hotspot/active/login =user= =password= =mac-address= =ip=`: logs a device in from the
// API, as a server does after a sale (RouterOS: the same check as the login page, so RADIUS
// when the hotspot profile uses it). The emulator has no RADIUS client of its own: the check is
// `state.hotspotAuthenticator` when a test or the demo sets one (e.g. a real Access-Request to
// radiusd), else the local /ip/hotspot/user table. A device already logged in is refused.
import { addHotspotSession } from '../state/active-sessions.ts';
import { TRAP_CATEGORY, TrapError, unknownParameter } from '../state/router.errors.ts';
import type { CommandContext } from './command.context.ts';

const LOGIN_ARGS: ReadonlySet<string> = new Set(['user', 'password', 'mac-address', 'ip', 'domain']);

export interface HotspotLoginAttempt {
  user: string;
  /** As given: plain (this API command, an http-pap page) or, with `chap`, the hex CHAP response. */
  password: string;
  ip: string;
  macAddress: string;
  /** An http-chap login from the hotspot page (hotspot-portal.ts): password = hex MD5(id + secret + challenge). */
  chap?: { id: Buffer; challenge: Buffer };
}

/** Resolves null to accept, or the reason to refuse (shown in the trap, as the login page shows it). */
export type HotspotAuthenticator = (attempt: HotspotLoginAttempt) => Promise<string | null>;

function localCheck(ctx: CommandContext, a: HotspotLoginAttempt): string | null {
  const user = ctx.state.table('/ip/hotspot/user').findByName(a.user);
  if (!user || user.disabled === 'true' || (user.password ?? '') !== a.password)
    return 'invalid username or password';
  return null;
}

export function handleHotspotLogin(ctx: CommandContext): void {
  const args = ctx.request.attributes;
  for (const name of args.keys()) if (!LOGIN_ARGS.has(name)) throw unknownParameter();
  const attempt: HotspotLoginAttempt = {
    user: args.get('user') ?? '',
    password: args.get('password') ?? '',
    ip: args.get('ip') ?? '',
    macAddress: (args.get('mac-address') ?? '').toUpperCase(),
  };
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(attempt.ip))
    throw new TrapError('invalid value for argument ip', TRAP_CATEGORY.argumentValue);
  if (ctx.state.rows('/ip/hotspot/active').some((r) => r.address === attempt.ip))
    throw new TrapError('failure: already logged in');
  const check = ctx.state.hotspotAuthenticator;
  const verdict = check ? check(attempt) : Promise.resolve(localCheck(ctx, attempt));
  verdict.then(
    (refusal) => {
      if (ctx.isStopped()) return;
      if (refusal !== null) {
        ctx.reply.trap(new TrapError(`failure: ${refusal}`));
        return ctx.done();
      }
      addHotspotSession(ctx.state, {
        user: attempt.user,
        address: attempt.ip,
        macAddress: attempt.macAddress,
        loginBy: 'http-pap',
        radius: check !== undefined,
      });
      ctx.done();
    },
    (error: unknown) => {
      if (ctx.isStopped()) return;
      ctx.reply.trap(new TrapError(`failure: ${error instanceof Error ? error.message : String(error)}`));
      ctx.done();
    },
  );
}
