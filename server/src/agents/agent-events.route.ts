// GET /events/agent?device=<id> — Server-Sent Events for an agent's approved phone (ADR 0033):
// `event: stock` each time a change to what the phone holds commits (stock issued, a lease or
// the phone revoked), and the phone syncs. Signed in by the session cookie like the PDF and CSV
// routes; only the device's own agent may listen. The stream carries no data beyond "changed"
// — the phone reads what changed through its ordinary signed sync. A comment line every 25 s
// keeps proxies from closing an idle stream; after 15 minutes the server ends it and the
// browser's EventSource reconnects (after `retry`), which signs the phone in again: a logged
// out agent or a revoked phone is refused at that point (401/403, and EventSource stops).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forbidden, notFound, rateLimited } from '@kasi/domain';
import { withTenantLookup } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { sendError, sessionActor } from '../http/pdf-route.ts';
import { requireOwnAgent } from './agent.service.ts';
import { findDevice } from './device.repository.ts';
import { stockEventsOf, type StockEvents } from './stock-events.ts';

export const AGENT_EVENTS_PATH = '/events/agent';

export interface AgentEventsOptions {
  heartbeatMs?: number;
  /** How long one stream lasts before the phone reconnects (and is signed in again). */
  maxAgeMs?: number;
  /** The reconnect delay the browser is told (EventSource `retry`). */
  retryMs?: number;
  /** Streams one device may hold open on this process (tabs, reconnects racing a close). */
  perDevice?: number;
}

/** Every open stream of this process, so shutting down can end them (they never end alone). */
const streams = new Set<ServerResponse>();

/** Ends every open stream (the server is stopping); phones reconnect to another process. */
export function endAgentEventStreams(): void {
  for (const res of streams) res.end();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function agentEventsHandler(app: AppContext, o: AgentEventsOptions = {}) {
  const heartbeatMs = o.heartbeatMs ?? 25_000;
  const maxAgeMs = o.maxAgeMs ?? 15 * 60_000;
  const retryMs = o.retryMs ?? 5_000;
  const perDevice = o.perDevice ?? 4;
  const open = new Map<string, number>();
  let shared: StockEvents | null = null;
  const stockEvents = () => (shared ??= stockEventsOf(app.handle.sql));

  return (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    withTenantLookup(async () => {
      const requestId = randomUUID();
      res.setHeader('x-request-id', requestId);
      res.setHeader('cache-control', 'no-store');
      const url = new URL(req.url ?? '/', 'http://kasi.invalid');
      let deviceId = '';
      try {
        if (req.method !== 'GET' || url.pathname !== AGENT_EVENTS_PATH)
          throw notFound('EVENTS.NOT_FOUND', 'Not found');
        deviceId = url.searchParams.get('device') ?? '';
        if (!UUID.test(deviceId)) throw notFound('DEVICE.NOT_FOUND', 'No such device');
        const actor = await sessionActor(app, req, requestId);
        requirePermission(actor, 'sale.sync');
        const agent = await requireOwnAgent(app.db, actor);
        const device = await findDevice(app.db, actor, deviceId, { agentId: agent.id });
        if (device.status !== 'approved')
          throw forbidden('DEVICE.NOT_APPROVED', `The device is ${device.status}, not approved`);
        if ((open.get(deviceId) ?? 0) >= perDevice)
          throw rateLimited('EVENTS.TOO_MANY', 'Too many event streams for this device');
        // Listening before the stream opens: a change committed after the phone sees it open is heard.
        await stockEvents().ready();
      } catch (e) {
        sendError(app, res, e, requestId, 'agent events');
        return;
      }

      const stream = stockEvents();
      open.set(deviceId, (open.get(deviceId) ?? 0) + 1);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        // Proxies (nginx) pass each event on at once instead of buffering the response.
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      res.write(`retry: ${retryMs}\n: connected\n\n`);
      const unsubscribe = stream.subscribe(deviceId, () => {
        res.write('event: stock\ndata: changed\n\n');
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
      const end = setTimeout(() => res.end(), maxAgeMs);
      heartbeat.unref();
      end.unref();
      streams.add(res);
      res.once('close', () => {
        streams.delete(res);
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(end);
        const n = (open.get(deviceId) ?? 1) - 1;
        if (n > 0) open.set(deviceId, n);
        else open.delete(deviceId);
      });
    });
}
