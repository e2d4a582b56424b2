// Provider events in, exactly once: verify (the adapter, pure) → one inbox row per provider
// event id (`ON CONFLICT DO NOTHING`) → if new, a `payment.apply` job in the same transaction
// → answer. Nothing else happens before the answer, so providers get their 2xx fast; a
// replay finds its row and enqueues nothing.
//
// Group commit: deliveries that arrive while earlier ones are being written wait and go
// together, one transaction per tenant with one INSERT for all their events and one INSERT of
// their jobs — at a few thousand deliveries a second a transaction per delivery would spend the
// server's CPU on round trips. With light traffic a delivery is written alone, at once (no
// timer). Each delivery is answered only after the commit that holds its events.
import { beginScoped, rawClient, withTenant, type GatewayKind } from '@kasi/db';
import type {
  Acknowledgement,
  IncomingWebhook,
  PaymentEvent,
  PaymentGateway,
  WebhookVerdict,
} from '@kasi/payments';
import type { AppContext } from '../app-context.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { paymentApplyJob } from './payment-apply.job.ts';
import { clientExecutor } from '../jobs/job-queue.ts';

export interface InboxResult {
  verdict: WebhookVerdict;
  stored: number;
  ack: Acknowledgement;
}

export async function receiveWebhook(
  deps: PaymentDeps,
  target: { tenantId: string; gateway: GatewayKind; adapter: PaymentGateway },
  hook: IncomingWebhook,
): Promise<InboxResult> {
  // Pure for Stripe and M-Pesa; PayPal's is a call to PayPal (ADR 0021): await only then.
  const checked = target.adapter.verifyWebhook(hook);
  const verdict = checked instanceof Promise ? await checked : checked;
  const ack = target.adapter.acknowledge(verdict);
  if (!verdict.ok) return { verdict, stored: 0, ack };
  const stored = verdict.events.length
    ? await inboxOf(deps.app).store({
        tenantId: target.tenantId,
        gateway: target.gateway,
        events: verdict.events,
        rawBody: hook.rawBody.toString('utf8'),
      })
    : 0;
  return { verdict, stored, ack };
}

interface Delivery {
  tenantId: string;
  gateway: GatewayKind;
  events: PaymentEvent[];
  rawBody: string;
}

interface Pending extends Delivery {
  resolve: (stored: number) => void;
  reject: (err: unknown) => void;
}

/** Deliveries per group commit: bounds one statement's size and one batch's wait. */
export const INBOX_MAX_BATCH = 200;
/**
 * Batches committing at once. One: while it commits the next group gathers, so groups grow
 * with the load and each costs its round trips once. Two were measured worse in
 * `bench:payments` (400 against 330 µs of CPU per delivery at 2,000/s): smaller groups, more
 * round trips, on a machine where every socket write is dear.
 */
const PARALLEL_BATCHES = 1;

const inboxes = new WeakMap<AppContext, WebhookInbox>();

/** The app's one inbox writer (per process: every webhook route shares its batches). */
export function inboxOf(app: AppContext): WebhookInbox {
  let inbox = inboxes.get(app);
  if (!inbox) inboxes.set(app, (inbox = new WebhookInbox(app)));
  return inbox;
}

export class WebhookInbox {
  readonly #app: AppContext;
  #queue: Pending[] = [];
  #inFlight = 0;

  constructor(app: AppContext) {
    this.#app = app;
  }

  /** Resolves to how many of the delivery's events were new, once they are committed. */
  store(delivery: Delivery): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...delivery, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length && this.#inFlight < PARALLEL_BATCHES) {
      const batch = this.#queue.splice(0, INBOX_MAX_BATCH);
      this.#inFlight++;
      void this.#write(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    const byTenant = new Map<string, Pending[]>();
    for (const p of batch) {
      const group = byTenant.get(p.tenantId);
      if (group) group.push(p);
      else byTenant.set(p.tenantId, [p]);
    }
    let fresh = 0;
    for (const [tenantId, group] of byTenant) {
      try {
        const counts = await withTenant(tenantId, () => writeGroup(this.#app, group));
        group.forEach((p, i) => p.resolve(counts[i] ?? 0));
        fresh += counts.reduce((a, b) => a + b, 0);
      } catch (err) {
        if (group.length === 1) {
          group[0]!.reject(err);
          continue;
        }
        // One delivery the database refuses must not fail its neighbours: each alone.
        for (const p of group) {
          try {
            const [n = 0] = await withTenant(tenantId, () => writeGroup(this.#app, [p]));
            p.resolve(n);
            fresh += n;
          } catch (e) {
            p.reject(e);
          }
        }
      }
    }
    // After the commits: the apply job's workers fetch now, not at their next poll (ADR 0020).
    if (fresh > 0) this.#app.jobs.wake(paymentApplyJob);
  }
}

/**
 * One INSERT for a whole group, its text the same whatever the group's size: the rows go as one
 * JSON parameter, so it is prepared once per connection. (Drizzle's multi-row VALUES made
 * a new statement per group size, each described by a round trip, and built seven parameters
 * per row — a quarter of the server's CPU per delivery in `bench:payments`.)
 */
const INSERT_EVENTS = `
  insert into payment_events (tenant_id, gateway, scope, provider_event_id, type, provider_ref, raw_body)
  select $1::uuid, r.gateway, $2::text, r.event_id, r.type, r.provider_ref, r.raw_body
    from json_to_recordset($3::json)
      as r(gateway text, event_id text, type text, provider_ref text, raw_body text)
  on conflict (gateway, scope, provider_event_id) do nothing
  returning id, gateway, provider_event_id as event_id`;

const PREPARED = { prepare: true } as const;

/**
 * One transaction: every event of the group, then a job per new row; per delivery, how many were
 * new. Pipelined on one reserved connection in two round trips: BEGIN, the tenant scope and the
 * INSERT go in one write; pg-boss's INSERT of the jobs and COMMIT in the next. A transaction of
 * five round trips (Drizzle's, one statement at a time) gave the other processes on the machine
 * five chances per batch to take the CPU between them, and each batch's wait was the next
 * one's.
 */
async function writeGroup(app: AppContext, group: Pending[]): Promise<number[]> {
  const tenantId = group[0]!.tenantId;
  const events = group.flatMap((p) =>
    p.events.map((e) => ({
      gateway: p.gateway,
      event_id: e.eventId,
      type: e.type,
      provider_ref: e.providerRef || null,
      raw_body: p.rawBody,
    })),
  );
  const c = await rawClient(app.db).reserve();
  // Whether a COMMIT was sent behind pg-boss's INSERT; otherwise one is sent here, or a ROLLBACK.
  let ended: Promise<unknown> | null = null;
  try {
    const [begin, scope] = beginScoped(c);
    const opened = await Promise.allSettled([
      begin,
      scope,
      c.unsafe<{ id: string; gateway: string; event_id: string }[]>(
        INSERT_EVENTS,
        [tenantId, tenantId, JSON.stringify(events)],
        PREPARED,
      ),
    ]);
    for (const r of opened) if (r.status === 'rejected') throw r.reason;
    const rows = (opened[2] as PromiseFulfilledResult<{ id: string; gateway: string; event_id: string }[]>)
      .value;
    if (rows.length) {
      const jobs = clientExecutor(c);
      await app.jobs.enqueueMany(
        {
          // pg-boss's one INSERT of the jobs, with COMMIT right behind it in the same write. Had the
          // INSERT failed, PostgreSQL answers that COMMIT with a rollback, and the error is thrown.
          executeSql: async (text, values) => {
            const insert = jobs.executeSql(text, values);
            ended = c.unsafe('commit');
            const [result] = await Promise.all([insert, ended]);
            return result;
          },
        },
        paymentApplyJob,
        rows.map((r) => ({ data: { tenantId, eventId: r.id }, dedupeKey: r.id })),
      );
    }
    await (ended ??= c.unsafe('commit'));
    // A new row counts for the first delivery in the group that carried its event.
    const inserted = new Set(rows.map((r) => `${r.gateway}\u0000${r.event_id}`));
    return group.map((p) => p.events.filter((e) => inserted.delete(`${p.gateway}\u0000${e.eventId}`)).length);
  } catch (err) {
    // A failed statement left the transaction aborted (or never begun): end it before release.
    if (!ended) await c.unsafe('rollback').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
