// Access-Request → Access-Accept/Reject. Checks the password (PAP or CHAP; for vouchers
// the password is the code), asks the policy, and maps the grant to MikroTik attributes.
import type { Database } from '@kasi/db';
import { normalizeVoucherCode, REJECT_MESSAGES, type SessionGrant } from '@kasi/domain';
import {
  decryptUserPassword,
  getAttribute,
  getString,
  verifyChap,
  type AttributeInput,
  type Packet,
} from '@kasi/radius';
import { timingSafeEqual } from 'node:crypto';
import type { NasEntry } from './nas-cache.ts';
import { authorizeVoucher, type OutageCache } from './voucher-auth.ts';

export interface AuthOutcome {
  accept: boolean;
  reason: string;
  attributes: AttributeInput[];
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

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** PAP or CHAP against the expected clear-text password. */
function passwordMatches(packet: Packet, nas: NasEntry, expected: string): boolean {
  const pap = getAttribute(packet, 'User-Password');
  if (pap) {
    const clear = decryptUserPassword(pap, nas.secret, packet.authenticator);
    return clear !== null && sameText(normalizeVoucherCode(clear.toString('utf8')), expected);
  }
  const chap = getAttribute(packet, 'CHAP-Password');
  if (chap) {
    const challenge = getAttribute(packet, 'CHAP-Challenge') ?? packet.authenticator;
    return verifyChap({ chapPassword: chap, challenge, password: Buffer.from(expected) });
  }
  return false;
}

export async function handleAccessRequest(
  db: Database,
  nas: NasEntry,
  packet: Packet,
  cache?: OutageCache,
): Promise<AuthOutcome> {
  const userName = getString(packet, 'User-Name');
  if (!userName) return { accept: false, reason: 'no_user_name', attributes: [] };
  const code = normalizeVoucherCode(userName);
  if (!passwordMatches(packet, nas, code)) {
    return {
      accept: false,
      reason: 'bad_password',
      attributes: [['Reply-Message', 'Wrong code or password']],
    };
  }
  const decision = await authorizeVoucher(db, nas.tenantId, userName, cache ? { cache } : {});
  if (!decision.accept) {
    const message =
      decision.reason === 'unknown_user' ? 'Unknown voucher code' : REJECT_MESSAGES[decision.reason];
    return { accept: false, reason: decision.reason, attributes: [['Reply-Message', message]] };
  }
  return {
    accept: true,
    reason: decision.fromCache ? 'ok_from_cache' : 'ok',
    attributes: grantAttributes(decision.grant),
  };
}
