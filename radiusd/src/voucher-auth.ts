// Turns a credential into a decision: the pure policy from @kasi/domain fed with the
// credential's plan and usage, and — on a voucher's first login — the validity clock.
import { decideAccess, type AccessDecision } from '@kasi/domain';
import type { Credential } from './credential-lookup.ts';

export function decideFor(c: Credential, now: Date, callingStationId: string | null): AccessDecision {
  if (c.kind === 'voucher') {
    return decideAccess({
      plan: c.plan,
      usage: c.voucher,
      openSessions: c.open,
      now,
    });
  }
  const s = c.subscriber;
  // A subscriber's validity is the paid-up-to date, not a clock from first login. Per-period
  // quotas arrive with billing; until then subscriber plans are speed + paid-up-to only.
  return decideAccess({
    plan: { ...c.plan, validitySeconds: null, timeQuotaSeconds: null, dataQuotaBytes: null },
    usage: {
      status: s.status,
      locked: false,
      firstUsedAt: s.createdAt,
      expiresAt: s.expiresAt,
      usedSeconds: 0,
      usedOctets: 0n,
    },
    openSessions: c.open,
    now,
    boundMac: s.macAddress,
    callingStationId,
  });
}
