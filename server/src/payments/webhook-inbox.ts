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
import { sql } from 'drizzle-orm';
import { executePrepared, paymentEvents, withTenant, type GatewayKind } from '@kasi/db';
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
    for (const p of batch) byTenant.set(p.tenantId, [...(byTenant.get(p.tenantId) ?? []), p]);
    let fresh = 0;
    for (const [tenantId, group] of byTenant) {
      try {
        const counts = await withTenant(tenantId, () => writeGroup(this.#app, tenantId, group));
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
            const [n = 0] = await withTenant(tenantId, () => writeGroup(this.#app, tenantId, [p]));
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
const insertEvents = (tenantId: string, rows: string) => sql<{
  id: string;
  gateway: string;
  event_id: string;
}>`
  insert into ${paymentEvents} (tenant_id, gateway, scope, provider_event_id, type, provider_ref, raw_body)
  select ${tenantId}::uuid, r.gateway, ${tenantId}, r.event_id, r.type, r.provider_ref, r.raw_body
    from json_to_recordset(${rows}::json)
      as r(gateway text, event_id text, type text, provider_ref text, raw_body text)
  on conflict (gateway, scope, provider_event_id) do nothing
  returning id, gateway, provider_event_id as event_id`;

/** One transaction: every event of the group, then a job per new row; per delivery, how many were new. */
async function writeGroup(app: AppContext, tenantId: string, group: Pending[]): Promise<number[]> {
  return app.db.transaction(async (tx) => {
    const events = group.flatMap((p) =>
      p.events.map((e) => ({
        gateway: p.gateway,
        event_id: e.eventId,
        type: e.type,
        provider_ref: e.providerRef || null,
        raw_body: p.rawBody,
      })),
    );
    const rows = await executePrepared<{ id: string; gateway: string; event_id: string }>(
      tx,
      insertEvents(tenantId, JSON.stringify(events)),
    );
    if (rows.length) {
      await app.jobs.enqueueMany(
        tx,
        paymentApplyJob,
        rows.map((r) => ({ data: { tenantId, eventId: r.id }, dedupeKey: r.id })),
      );
    }
    // A new row counts for the first delivery in the group that carried its event.
    const inserted = new Set(rows.map((r) => `${r.gateway}\u0000${r.event_id}`));
    return group.map((p) => p.events.filter((e) => inserted.delete(`${p.gateway}\u0000${e.eventId}`)).length);
  });
}
