// Job `hotspot.device_login`: after a "buy now" payment, log the buyer's device in on the
// router with the bought code — RouterOS's `/ip/hotspot/active/login user= password=
// mac-address= ip=` over the API Kasi already manages the router through (ADR 0024, "After
// payment"). The router applies its own check (RADIUS: radiusd sees the code's first login),
// so this is the same login the page would have made, without the buyer typing anything.
//
// Enqueued in the transaction that issues the code (settlePlanAttempt), only for a link that
// carries router, MAC and IP: at once when the device gave no login address to come back to,
// and a minute later otherwise, as a safety net for a captive-portal pop-up that closed while
// the buyer approved the payment — a device the page already logged in is "already logged in"
// on the router, which counts as done. The job's data names the attempt only: no code or MAC
// in pg-boss's tables.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { payLinks, routers, writeAudit, type Executor } from '@kasi/db';
import { isRouterError } from '@kasi/routeros';
import type { AppContext } from '../app-context.ts';
import { permanentFailure, transientFailure } from '../jobs/job-failure.ts';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { issuedCodeForAttempt } from '../payments/plan-purchase.ts';
import { withRouter } from '../routers/router-connection.ts';

export const hotspotLoginJob = defineJobKind({
  name: 'hotspot.device_login',
  data: z.object({ tenantId: z.uuid(), attemptId: z.uuid() }),
  // The buyer is waiting: wake a worker at once; a few quick retries (a router that is briefly
  // unreachable), not the standard hours of backoff — by then the buyer has typed the code.
  queue: (s) =>
    standardQueueRules(s, {
      notify: true,
      retryLimit: 4,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 60,
      expireInSeconds: 60,
    }),
});

/** How long the page's own login gets before the API login steps in as a safety net. */
export const PAGE_LOGIN_GRACE_MS = 60_000;

/**
 * In the settling transaction `tx`, once the attempt's code is issued: queue the device's
 * login when the attempt's link carries router, MAC and IP. Returns whether it queued.
 */
export async function queueDeviceLogin(
  app: AppContext,
  tx: Executor,
  attempt: { tenantId: string; id: string; payLinkId: string | null },
): Promise<boolean> {
  if (!attempt.payLinkId) return false;
  const [link] = await tx
    .select({
      routerId: payLinks.routerId,
      mac: payLinks.clientMac,
      ip: payLinks.clientIp,
      loginUrl: payLinks.clientLoginUrl,
    })
    .from(payLinks)
    .where(and(eq(payLinks.tenantId, attempt.tenantId), eq(payLinks.id, attempt.payLinkId)));
  if (!link?.routerId || !link.mac || !link.ip) return false;
  await app.jobs.enqueue(tx, {
    kind: hotspotLoginJob,
    data: { tenantId: attempt.tenantId, attemptId: attempt.id },
    dedupeKey: attempt.id,
    ...(link.loginUrl && { startAfter: new Date(Date.now() + PAGE_LOGIN_GRACE_MS) }),
  });
  return true;
}

const maskedMac = (mac: string) => `${mac.slice(0, 8)}:…`;

export async function loginBoughtDevice(app: AppContext, tenantId: string, attemptId: string) {
  const issued = await issuedCodeForAttempt(app.db, tenantId, attemptId);
  if (!issued) throw permanentFailure('The attempt has issued no code');
  const { routerId, mac, ip, code } = issued;
  if (!routerId || !mac || !ip) throw permanentFailure('The pay link names no router and device');
  const [router] = await app.db
    .select()
    .from(routers)
    .where(and(eq(routers.tenantId, tenantId), eq(routers.id, routerId)));
  if (!router) throw permanentFailure('The router no longer exists');
  const shown = { routerId: router.id, mac: maskedMac(mac), ip };
  let outcome: 'logged_in' | 'already_logged_in';
  try {
    await withRouter(app, router, (c) =>
      c.loginHotspotDevice({ user: code, password: code, macAddress: mac, ip }),
    );
    outcome = 'logged_in';
  } catch (err) {
    if (isRouterError(err, 'ROUTER.TRAP') && /already logged in/i.test(err.message)) {
      outcome = 'already_logged_in';
    } else if (isRouterError(err, 'ROUTER.TRAP')) {
      // The router's own verdict (e.g. RADIUS refused the code): retrying asks the same question.
      throw permanentFailure('The router refused the login', { ...shown, router: err.message.slice(0, 120) });
    } else {
      throw transientFailure('The router could not be reached', shown);
    }
  }
  await app.db.transaction((tx) =>
    writeAudit(tx, {
      tenantId,
      actorUserId: null,
      actor: 'hotspot buy now',
      requestId: null,
      action: 'hotspot.device_login',
      entityType: 'payment_attempt',
      entityId: attemptId,
      after: { ...shown, outcome },
    }),
  );
  return { ...shown, outcome };
}

export function hotspotLoginHandler(app: AppContext): JobHandler {
  return defineJobHandler({
    kind: hotspotLoginJob,
    run: (job) => loginBoughtDevice(app, job.data.tenantId, job.data.attemptId),
  });
}
