// The PWA's one tRPC client (rpc/client.ts, ADR 0035). Only the router's *type* comes from
// the server package, so no server code can reach the browser bundle.
import { createApiClient } from './rpc/client.ts';

// Same origin as the app, so the HttpOnly session cookie rides along on every call.
export const api = createApiClient('/trpc');

type Output<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type Session = NonNullable<Output<typeof api.auth.me.query>>;
export type Plan = Output<typeof api.plan.list.query>[number];
export type BatchSummary = Output<typeof api.voucher.batches.query>[number];
export type BatchCodes = Output<typeof api.voucher.codes.query>;
export type VoucherRow = BatchCodes['rows'][number];
export type VoucherFigures = BatchSummary['figures'];
export type PrintRun = Output<typeof api.voucher.printRuns.query>[number];
export type Nas = Output<typeof api.nas.list.query>[number];
export type CreatedNas = Output<typeof api.nas.create.mutate>;
export type ManagedRouter = Output<typeof api.router.list.query>[number];
export type RouterHealth = NonNullable<ManagedRouter['health']>;
export type RouterProbe = Output<typeof api.router.test.mutate>;
export type ChangePlan = Output<typeof api.router.plans.query>[number];
export type ChangePlanStatus = ChangePlan['status'];
export type LiveSession = Output<typeof api.router.sessions.query>[number];
export type KickOutcome = Output<typeof api.router.kick.mutate>;

/** Codes fetched per request on a batch page; big batches page with "Show more". */
export const CODES_PAGE_SIZE = 500;
export type GatewayRow = Output<typeof api.gateway.list.query>[number];
