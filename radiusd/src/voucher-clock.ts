// Starts vouchers' validity clocks at first login. Logins that arrive while one write is
// committing share the next one (group commit), so a burst of first logins — a hotspot
// after a power cut — costs one commit per batch, not one per voucher. Each login still
// waits for its clock to be stored before it is accepted.
import { sql } from 'drizzle-orm';
import { currentTenantId, withTenant, type Database } from '@kasi/db';

interface Pending {
  /** The tenant of the request that asked (the NAS's): each tenant's rows are written under its own scope. */
  tenantId: string;
  id: string;
  at: Date;
  expiresAt: Date | null;
  done: (e?: unknown) => void;
}

export class VoucherClock {
  readonly #db: Database;
  #queue: Pending[] = [];
  #writing = false;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records first use unless a concurrent login of the same code already did. */
  start(id: string, at: Date, expiresAt: Date | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        tenantId: currentTenantId() ?? '',
        id,
        at,
        expiresAt,
        done: (e) => (e ? reject(e) : resolve()),
      });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length) {
        const all = this.#queue.splice(0, 1000);
        const byTenant = new Map<string, Pending[]>();
        for (const p of all) byTenant.set(p.tenantId, [...(byTenant.get(p.tenantId) ?? []), p]);
        await Promise.all(
          [...byTenant].map(([tenantId, batch]) => withTenant(tenantId, () => this.#write(batch))),
        );
      }
    } finally {
      this.#writing = false;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    const rows = batch.map((p) => ({
      id: p.id,
      at: p.at.toISOString(),
      expires_at: p.expiresAt?.toISOString() ?? null,
    }));
    await this.#db
      .execute(
        sql`update vouchers v set first_used_at = r.at, expires_at = r.expires_at, status = 'active'
                from (select distinct on (id) * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                        as x(id uuid, at timestamptz, expires_at timestamptz) order by id, at) r
                where v.id = r.id and v.first_used_at is null`,
      )
      .then(
        () => batch.forEach((p) => p.done()),
        (e: unknown) => batch.forEach((p) => p.done(e)),
      );
  }
}
