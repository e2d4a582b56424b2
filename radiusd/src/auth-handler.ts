// Access-Request → Access-Accept/Reject: find the credential, check the password proof
// (PAP, CHAP or MS-CHAPv2), decide with the plan, and map the grant to MikroTik attributes.
import { normalizeVoucherCode, REJECT_MESSAGES, type SessionGrant } from '@kasi/domain';
import {
  checkPassword,
  getString,
  getText,
  getUserPassword,
  authMethod,
  type AttributeInput,
  type Packet,
  type TextProblem,
} from '@kasi/radius';
import type { Database, Keyring } from '@kasi/db';
import { findCredential, type Credential } from './credential-lookup.ts';
import type { OutageCache } from './outage-cache.ts';
import type { NasEntry } from './nas-cache.ts';
import { decideFor } from './voucher-auth.ts';
import type { VoucherClock } from './voucher-clock.ts';

export interface AuthOutcome {
  accept: boolean;
  reason: string;
  attributes: AttributeInput[];
}

export interface AuthDeps {
  db: Database;
  keyring: Keyring;
  cache?: OutageCache | undefined;
  /** Stores first logins (group commit). */
  clock: VoucherClock;
}

const TWO_32 = 2n ** 32n;

export function grantAttributes(g: SessionGrant): AttributeInput[] {
  const attrs: AttributeInput[] = [
    ['Mikrotik-Rate-Limit', g.rateLimit],
    ['Acct-Interim-Interval', g.interimInterval],
  ];
  if (g.sessionTimeout !== null) attrs.push(['Session-Timeout', Math.max(1, g.sessionTimeout)]);
  if (g.idleTimeout !== null) attrs.push(['Idle-Timeout', g.idleTimeout]);
  if (g.framedPool !== null) attrs.push(['Framed-Pool', g.framedPool]);
  if (g.addressList !== null) attrs.push(['Mikrotik-Address-List', g.addressList]);
  if (g.totalLimitBytes !== null) {
    attrs.push(['Mikrotik-Total-Limit', Number(g.totalLimitBytes % TWO_32)]);
    if (g.totalLimitBytes >= TWO_32)
      attrs.push(['Mikrotik-Total-Limit-Gigawords', Number(g.totalLimitBytes / TWO_32)]);
  }
  return attrs;
}

/** Vouchers forgive case and dashes when the password is readable (PAP); hashes must match exactly. */
function proves(
  packet: Packet,
  nas: NasEntry,
  c: Credential,
  userName: string,
): { ok: boolean; attributes: AttributeInput[] } {
  if (c.kind === 'voucher' && authMethod(packet) === 'pap') {
    const typed = getUserPassword(packet, nas.secret);
    return {
      ok: typed !== null && normalizeVoucherCode(typed.toString('utf8')) === c.password,
      attributes: [],
    };
  }
  const candidates = c.kind === 'voucher' ? [...new Set([c.password, userName])] : [c.password];
  let last: ReturnType<typeof checkPassword> | null = null;
  for (const candidate of candidates) {
    last = checkPassword(packet, nas.secret, candidate);
    if (last.ok) return { ok: true, attributes: last.replyAttributes };
  }
  return { ok: false, attributes: last?.replyAttributes ?? [] };
}

/**
 * No credential has a NUL byte or bytes that are not UTF-8 in its name, and such a name must
 * never reach a lookup: it would fail the statement it is batched into (PostgreSQL text holds
 * neither). The request came from a known NAS and passed its Message-Authenticator check, so
 * it gets an answer, not silence: a MikroTik that hears nothing retransmits, then marks this
 * server down and asks the next one the same question, and the hotspot page says "RADIUS
 * server is not responding". An Access-Reject ends the attempt at once (RFC 2865 §4.1: any
 * attribute value that is not acceptable), its Reply-Message is shown on the login page, and
 * the duplicate cache answers retransmissions. Counted as reject_user_name_<problem>.
 */
function unusableUserName(problem: TextProblem): AuthOutcome {
  return {
    accept: false,
    reason: `user_name_${problem}`,
    attributes: [['Reply-Message', 'Invalid user name or voucher code']],
  };
}

export async function handleAccessRequest(
  deps: AuthDeps,
  nas: NasEntry,
  packet: Packet,
  now = new Date(),
): Promise<AuthOutcome> {
  const name = getText(packet, 'User-Name');
  if (name && !name.ok) return unusableUserName(name.problem);
  const userName = name?.text;
  if (!userName) return { accept: false, reason: 'no_user_name', attributes: [] };
  const { credential, fromCache } = await findCredential({ ...deps, now }, nas.tenantId, userName);
  if (!credential)
    return {
      accept: false,
      reason: 'unknown_user',
      attributes: [['Reply-Message', 'Unknown user or voucher code']],
    };
  const proof = proves(packet, nas, credential, userName);
  if (!proof.ok)
    return {
      accept: false,
      reason: 'bad_password',
      attributes: [...proof.attributes, ['Reply-Message', 'Wrong code or password']],
    };
  const decision = decideFor(credential, now, getString(packet, 'Calling-Station-Id') ?? null);
  if (!decision.accept)
    return {
      accept: false,
      reason: decision.reason,
      attributes: [['Reply-Message', REJECT_MESSAGES[decision.reason]]],
    };
  const first = decision.grant.firstUse;
  if (first && credential.kind === 'voucher' && !fromCache) {
    await deps.clock.start(credential.voucher.id, first.at, first.expiresAt);
  }
  const attributes = [...grantAttributes(decision.grant), ...proof.attributes];
  if (credential.kind === 'subscriber' && credential.subscriber.framedIp)
    attributes.push(['Framed-IP-Address', credential.subscriber.framedIp]);
  const reason = decision.grant.gardenReason
    ? `walled_garden_${decision.grant.gardenReason}`
    : fromCache
      ? 'ok_from_cache'
      : 'ok';
  return { accept: true, reason, attributes };
}
