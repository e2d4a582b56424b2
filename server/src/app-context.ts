// What every service needs: the database, the keyring for secrets, a logger, config.
import type { Database, DbHandle, Keyring } from '@kasi/db';
import type { Role } from '@kasi/domain';
import type { Logger } from './logger.ts';
import type { AppAudit } from './audit/audit-setup.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import type { PaymentEndpoints } from './payments/payment-deps.ts';
import type { SmsEnvironment } from './sms/sms-env.ts';

export interface AppContext {
  db: Database;
  handle: DbHandle;
  keyring: Keyring;
  /** Audit MAC keys and the chain-head export (the handle's transactions carry them). */
  audit: AppAudit;
  log: Logger;
  sessionTtlMs: number;
  /** KASI_PUBLIC_URL: the address people use; WebAuthn passkeys are bound to it (absent: http://localhost:3000). */
  publicUrl?: string;
  /** pg-boss: `app.jobs.enqueue(tx, …)` is the one way to enqueue a job (ADR 0009). */
  jobs: JobQueue;
  /** Where payment providers are and the public URL their callbacks use (absent: the defaults). */
  payments?: { publicUrl: string; endpoints: PaymentEndpoints; trustedProxies?: readonly string[] };
  /** SMS providers' URLs, the process-wide Twilio default and the public URL (absent: none configured). */
  sms?: SmsEnvironment;
}

/** Who is acting, for which tenant: every service call carries one. */
export interface Actor {
  tenantId: string;
  userId: string | null;
  label: string;
  role: Role;
  requestId: string | null;
}
