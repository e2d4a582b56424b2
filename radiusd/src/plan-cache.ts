// Plans as radiusd uses them: the limits from @kasi/domain, one shared object per plan
// version. A login reads only the plan's row version (PostgreSQL's xmin, which changes on
// every update, whoever makes it); the full row is read again only when that changed, so an
// edited plan applies from the next login and unchanged plans cost nothing to decode.
import { eq, sql } from 'drizzle-orm';
import { plans, type Database } from '@kasi/db';
import type { PlanLimits } from '@kasi/domain';

type PlanRow = typeof plans.$inferSelect;

export function limitsOf(p: PlanRow): PlanLimits {
  const burst =
    p.burstDownloadBps &&
    p.burstUploadBps &&
    p.burstThresholdDownloadBps &&
    p.burstThresholdUploadBps &&
    p.burstTimeSeconds
      ? {
          downloadBps: p.burstDownloadBps,
          uploadBps: p.burstUploadBps,
          thresholdDownloadBps: p.burstThresholdDownloadBps,
          thresholdUploadBps: p.burstThresholdUploadBps,
          timeSeconds: p.burstTimeSeconds,
        }
      : null;
  return {
    speed: { downloadBps: p.downloadBps, uploadBps: p.uploadBps, burst },
    validitySeconds: p.validitySeconds,
    timeQuotaSeconds: p.timeQuotaSeconds,
    dataQuotaBytes: p.dataQuotaBytes,
    sharedUsers: p.sharedUsers,
    idleTimeoutSeconds: p.idleTimeoutSeconds,
    interimIntervalSeconds: p.interimIntervalSeconds,
    addressPool: p.addressPool,
    exhaustedAction: p.exhaustedAction,
    walledGardenList: p.walledGardenList,
  };
}

/** The row version to select next to a plan id: `xmin` as text. */
export const planVersion = sql<string>`${plans}.xmin::text`;

export class PlanCache {
  readonly #byId = new Map<string, { version: string; limits: PlanLimits }>();
  readonly #query;

  constructor(db: Database) {
    this.#query = db
      .select({ plan: plans, version: planVersion })
      .from(plans)
      .where(eq(plans.id, sql.placeholder('id')))
      .prepare('kasi_plan_by_id');
  }

  /** Logins that found the plan's current version in memory, and those that read the row. */
  readonly stats = { hits: 0, misses: 0 };

  get size(): number {
    return this.#byId.size;
  }

  /** The plan's limits at `version`, or later if it changed again since. */
  async limits(planId: string, version: string): Promise<PlanLimits> {
    const hit = this.#byId.get(planId);
    if (hit && hit.version === version) {
      this.stats.hits++;
      return hit.limits;
    }
    this.stats.misses++;
    const [row] = await this.#query.execute({ id: planId });
    if (!row) throw new Error(`plan ${planId} vanished during login`);
    const entry = { version: row.version, limits: limitsOf(row.plan) };
    this.#byId.set(planId, entry);
    return entry.limits;
  }

  static for(db: Database): PlanCache {
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = new PlanCache(db)));
    return cache;
  }
}

const caches = new WeakMap<Database, PlanCache>();
