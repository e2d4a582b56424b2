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
}

export type CredentialStatus = 'generated' | 'leased' | 'sold' | 'active' | 'exhausted' | 'expired' | 'void';

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
  'void' | 'locked' | 'expired' | 'time_exhausted' | 'data_exhausted' | 'too_many_sessions';

export interface SessionGrant {
  rateLimit: string;
  sessionTimeout: number | null;
  totalLimitBytes: bigint | null;
  idleTimeout: number | null;
  interimInterval: number;
  framedPool: string | null;
  /** The clock starts now: the caller records first use and expiry. */
  firstUse: { at: Date; expiresAt: Date | null } | null;
}

export type AccessDecision = { accept: true; grant: SessionGrant } | { accept: false; reason: RejectReason };

export interface AccessInput {
  plan: PlanLimits;
  usage: CredentialUsage;
  openSessions: number;
  now: Date;
}

const reject = (reason: RejectReason): AccessDecision => ({ accept: false, reason });

export function decideAccess({ plan, usage, openSessions, now }: AccessInput): AccessDecision {
  if (usage.status === 'void') return reject('void');
  if (usage.locked) return reject('locked');
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
  expired: 'This voucher has expired',
  time_exhausted: 'No time left on this voucher',
  data_exhausted: 'No data left on this voucher',
  too_many_sessions: 'This voucher is already in use on another device',
};
