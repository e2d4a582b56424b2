// Decides whether a credential (voucher now, subscriber later) may start a session,
// and with which limits. Pure: radiusd feeds it rows and maps the result to attributes.
import { mikrotikRateLimit, type Speed } from './rate-limit.ts';

export interface PlanLimits {
  speed: Speed;
  /** Seconds of validity counted from first login (null: no validity limit). */
  validitySeconds: number | null;
  timeQuotaSeconds: number | null;
  dataQuotaBytes: bigint | null;
  sharedUsers: number;
  idleTimeoutSeconds: number | null;
  interimIntervalSeconds: number;
  addressPool: string | null;
  /** When validity, time or data runs out (or the account is suspended): refuse, or walled garden. */
  exhaustedAction?: 'reject' | 'walled_garden';
  walledGardenList?: string;
}

export type CredentialStatus =
  | 'generated'
  | 'leased'
  | 'sold'
  | 'active'
  | 'exhausted'
  | 'expired'
  | 'void'
  // Subscriber accounts ('disabled' is the old name of 'terminated'):
  | 'disabled'
  | 'suspended'
  | 'terminated';

export interface CredentialUsage {
  status: CredentialStatus;
  locked: boolean;
  firstUsedAt: Date | null;
  /** Fixed expiry (set at generation, or derived from first use). */
  expiresAt: Date | null;
  usedSeconds: number;
  usedOctets: bigint;
}

export type RejectReason =
  | 'void'
  | 'locked'
  | 'disabled'
  | 'mac_mismatch'
  | 'suspended'
  | 'expired'
  | 'time_exhausted'
  | 'data_exhausted'
  | 'too_many_sessions';

/** Reasons a walled-garden plan turns into admission to the walled garden instead of a reject. */
const GARDEN_REASONS: ReadonlySet<RejectReason> = new Set([
  'suspended',
  'expired',
  'time_exhausted',
  'data_exhausted',
]);
/** Walled-garden sessions re-authenticate hourly, so a payment takes effect without a kick. */
export const WALLED_GARDEN_SESSION_SECONDS = 3600;

export interface SessionGrant {
  rateLimit: string;
  sessionTimeout: number | null;
  totalLimitBytes: bigint | null;
  idleTimeout: number | null;
  interimInterval: number;
  framedPool: string | null;
  /** The clock starts now: the caller records first use and expiry. */
  firstUse: { at: Date; expiresAt: Date | null } | null;
  /** Mikrotik-Address-List to put the session in (walled garden), or null. */
  addressList: string | null;
  /** Admitted only into the walled garden; `gardenReason` says why. */
  gardenReason: RejectReason | null;
}

export type AccessDecision = { accept: true; grant: SessionGrant } | { accept: false; reason: RejectReason };

export interface AccessInput {
  plan: PlanLimits;
  usage: CredentialUsage;
  openSessions: number;
  now: Date;
  /** MAC binding: when `boundMac` is set, the login's Calling-Station-Id must match it. */
  boundMac?: string | null;
  callingStationId?: string | null;
}

export function normalizeMac(mac: string): string {
  return mac.toLowerCase().replace(/[^0-9a-f]/g, '');
}

export function decideAccess(input: AccessInput): AccessDecision {
  const d = decideStrict(input);
  if (d.accept || !GARDEN_REASONS.has(d.reason) || input.plan.exhaustedAction !== 'walled_garden') return d;
  if (input.openSessions >= input.plan.sharedUsers) return d;
  return {
    accept: true,
    grant: {
      rateLimit: mikrotikRateLimit(input.plan.speed),
      sessionTimeout: WALLED_GARDEN_SESSION_SECONDS,
      totalLimitBytes: null,
      idleTimeout: input.plan.idleTimeoutSeconds,
      interimInterval: input.plan.interimIntervalSeconds,
      framedPool: input.plan.addressPool,
      firstUse: null,
      addressList: input.plan.walledGardenList ?? 'kasi-walled-garden',
      gardenReason: d.reason,
    },
  };
}

const reject = (reason: RejectReason): AccessDecision => ({ accept: false, reason });

function decideStrict({
  plan,
  usage,
  openSessions,
  now,
  boundMac,
  callingStationId,
}: AccessInput): AccessDecision {
  if (usage.status === 'void') return reject('void');
  if (usage.locked) return reject('locked');
  if (usage.status === 'disabled' || usage.status === 'terminated') return reject('disabled');
  if (boundMac && normalizeMac(callingStationId ?? '') !== normalizeMac(boundMac))
    return reject('mac_mismatch');
  if (usage.status === 'suspended') return reject('suspended');
  if (usage.status === 'expired') return reject('expired');
  const firstUse =
    usage.firstUsedAt === null
      ? { at: now, expiresAt: minDate(usage.expiresAt, addSeconds(now, plan.validitySeconds)) }
      : null;
  const expiresAt = firstUse ? firstUse.expiresAt : usage.expiresAt;
  const secondsLeftValid =
    expiresAt === null ? null : Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  if (secondsLeftValid !== null && secondsLeftValid <= 0) return reject('expired');
  const timeLeft = plan.timeQuotaSeconds === null ? null : plan.timeQuotaSeconds - usage.usedSeconds;
  if (timeLeft !== null && timeLeft <= 0) return reject('time_exhausted');
  const dataLeft = plan.dataQuotaBytes === null ? null : plan.dataQuotaBytes - usage.usedOctets;
  if (dataLeft !== null && dataLeft <= 0n) return reject('data_exhausted');
  if (usage.status === 'exhausted') return reject(dataLeft === null ? 'time_exhausted' : 'data_exhausted');
  if (openSessions >= plan.sharedUsers) return reject('too_many_sessions');
  return {
    accept: true,
    grant: {
      rateLimit: mikrotikRateLimit(plan.speed),
      sessionTimeout: minNumber(secondsLeftValid, timeLeft),
      totalLimitBytes: dataLeft,
      idleTimeout: plan.idleTimeoutSeconds,
      interimInterval: plan.interimIntervalSeconds,
      framedPool: plan.addressPool,
      firstUse,
      addressList: null,
      gardenReason: null,
    },
  };
}

function addSeconds(d: Date, s: number | null): Date | null {
  return s === null ? null : new Date(d.getTime() + s * 1000);
}

function minDate(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function minNumber(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export const REJECT_MESSAGES: Readonly<Record<RejectReason, string>> = {
  void: 'This voucher has been voided',
  locked: 'This voucher is locked',
  disabled: 'This account is disabled',
  mac_mismatch: 'This account is bound to another device',
  suspended: 'This account is suspended',
  expired: 'This voucher has expired',
  time_exhausted: 'No time left on this voucher',
  data_exhausted: 'No data left on this voucher',
  too_many_sessions: 'This voucher is already in use on another device',
};
