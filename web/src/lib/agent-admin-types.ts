// What the operator's agent, cash and conflict screens receive from the API, named once.
// Types only: derived from the tRPC client, so they follow the server without copies.
import type { api } from './api.ts';

type Output<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type AgentAccount = Output<typeof api.agent.list.query>[number];
export type AgentCash = Output<typeof api.cash.outstanding.query>[number];
export type AgentDevice = Output<typeof api.agent.devices.query>[number];
export type DeviceStatus = AgentDevice['status'];
export type AgentLease = Output<typeof api.agent.leases.query>[number];
export type ShiftReport = Output<typeof api.cash.shifts.query>;
export type AgentShift = ShiftReport['shifts'][number];
export type SalesByDays = Output<typeof api.cash.salesByDays.query>;
export type SalesRow = SalesByDays['rows'][number];
export type SyncConflictRow = Output<typeof api.sync.conflicts.query>[number];
